"""Small code sets and the test bundles for the case studies tests."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from codesets.models import Release

DATA = Path(__file__).parent / "data"


def load_small_code_sets():
    """ICD-10-CM chapter 4, PCS codes under 0DT, and the demo CPT/HCPCS lists."""
    call_command(
        "load_codesets", icd10cm_chapter=["4"], pcs_prefix="0DT", stdout=StringIO()
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
