"""Small code sets and the test bundles for the case studies tests."""

import json
from pathlib import Path

import pytest

from codesets.factories import ReleaseFactory
from codesets.models import Release

DATA = Path(__file__).parent / "data"


# (system, code, billable, parent, description): only what the test
# bundles and the bad-input tests use.
CODE_ROWS = [
    ("icd10cm", "E10", False, "", "Type 1 diabetes mellitus"),
    ("icd10cm", "E101", False, "E10", "Type 1 diabetes with ketoacidosis"),
    ("icd10cm", "E1010", True, "E101", "Type 1 DM with ketoacidosis"),
    ("icd10cm", "E11", False, "", "Type 2 diabetes mellitus"),
    ("icd10cm", "E116", False, "E11", "Type 2 DM with other complications"),
    ("icd10cm", "E1165", True, "E116", "Type 2 DM with hyperglycemia"),
    ("icd10cm", "E1169", True, "E116", "Type 2 DM with other complication"),
    ("icd10cm", "E119", True, "E11", "Type 2 DM without complications"),
    ("icd10cm", "E78", False, "", "Disorders of lipoprotein metabolism"),
    ("icd10cm", "E785", True, "E78", "Hyperlipidemia, unspecified"),
    ("icd10cm", "E7800", True, "E78", "Pure hypercholesterolemia"),
    ("icd10cm", "E87", False, "", "Other fluid and electrolyte disorders"),
    ("icd10cm", "E876", True, "E87", "Hypokalemia"),
    ("icd10pcs", "0DTJ4ZZ", True, "", "Resection of appendix, endo"),
    ("icd10pcs", "0DTJ0ZZ", True, "", "Resection of appendix, open"),
    ("cpt", "99213", True, "", "Office visit, established, low"),
    ("cpt", "99214", True, "", "Office visit, established, moderate"),
]


def load_small_code_sets():
    """A release of each system with the few codes the tests use (once)."""
    if Release.objects.filter(version="TEST").exists():
        return
    for system in ("icd10cm", "icd10pcs", "cpt"):
        ReleaseFactory(
            system=system,
            version="TEST",
            source="tests/case_studies",
            demo=system == "cpt",
            codes=[
                {
                    "code": code,
                    "billable": billable,
                    "parent": parent,
                    "description": description,
                }
                for row_system, code, billable, parent, description in CODE_ROWS
                if row_system == system
            ],
        )


def bundle(name: str) -> dict:
    return json.loads((DATA / name).read_text())


@pytest.fixture(scope="package")
def code_sets(django_db_setup, django_db_blocker):
    """Committed for the package, removed after it: loading once keeps tests fast."""
    with django_db_blocker.unblock():
        load_small_code_sets()
        yield
        Release.objects.all().delete()


@pytest.fixture
def cases(code_sets, db):
    """The two test cases, imported and published."""
    from case_studies.bundles import bundle_import
    from case_studies.models import CaseStudyPage

    bundle_import(bundle("outpatient.json"))
    bundle_import(bundle("inpatient.json"))
    return {page.slug: page for page in CaseStudyPage.objects.live()}
