"""Billing tests on the database: the code sets a claim needs (ICD-10-CM chapter 13,
the demo CPT, HCPCS, modifier and NCCI lists), the demo epidural injection case,
and scenarios of each kind built on it."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from billing.importer import scenario_import
from case_studies.bundles import bundle_import
from tests.support.code_sets import code_sets_committed

DATA = Path(__file__).parent / "data"
CASE_FILE = (
    Path(__file__).parents[2]
    / "case_studies/demo/cases/21-transforaminal-epidural-injection-l5-s1.json"
)


CLAIM_CODE_SETS = {
    "icd10cm_chapter": ["13"],
    "only": ["icd10cm", "cpt", "hcpcs", "modifier", "ncci"],
}


def load_claim_code_sets() -> None:
    """For a transactional test, whose flush removes them again."""
    call_command("load_codesets", stdout=StringIO(), **CLAIM_CODE_SETS)


@pytest.fixture(scope="module")
def claim_code_sets(django_db_setup, django_db_blocker):
    """Committed for the module, removed after it."""
    with django_db_blocker.unblock(), code_sets_committed(**CLAIM_CODE_SETS):
        yield


def scenario_data(kind: str) -> dict:
    """The test scenario of `kind` (tests/billing/data/scenarios.json)."""
    scenarios = json.loads((DATA / "scenarios.json").read_text())
    return copy.deepcopy(scenarios[kind])


def publish_test_world() -> None:
    """The epidural case and one scenario of each kind, published."""
    bundle_import(json.loads(CASE_FILE.read_text()))
    for kind in ("claim", "scrub", "remittance", "denial"):
        scenario_import(scenario_data(kind), file=f"{kind}.json")


@pytest.fixture
def billing_world(claim_code_sets, db):
    publish_test_world()


@pytest.fixture
def right_claim() -> dict:
    """The claim key's claim: what a learner who gets every box right sends."""
    return scenario_data("claim")["claim_key"]["claim"]
