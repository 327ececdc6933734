"""Small code sets and the test bundles for the case studies tests."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone

from codesets.models import Code, Release
from codesets.models.codes import CodeKind

DATA = Path(__file__).parent / "data"


# (system, code, display, billable, parent, description): only what the test
# bundles and the bad-input tests use.
CODE_ROWS = [
    ("icd10cm", "E10", "E10", False, "", "Type 1 diabetes mellitus"),
    ("icd10cm", "E101", "E10.1", False, "E10", "Type 1 diabetes with ketoacidosis"),
    ("icd10cm", "E1010", "E10.10", True, "E101", "Type 1 DM with ketoacidosis"),
    ("icd10cm", "E11", "E11", False, "", "Type 2 diabetes mellitus"),
    ("icd10cm", "E116", "E11.6", False, "E11", "Type 2 DM with other complications"),
    ("icd10cm", "E1165", "E11.65", True, "E116", "Type 2 DM with hyperglycemia"),
    ("icd10cm", "E1169", "E11.69", True, "E116", "Type 2 DM with other complication"),
    ("icd10cm", "E119", "E11.9", True, "E11", "Type 2 DM without complications"),
    ("icd10cm", "E78", "E78", False, "", "Disorders of lipoprotein metabolism"),
    ("icd10cm", "E785", "E78.5", True, "E78", "Hyperlipidemia, unspecified"),
    ("icd10cm", "E7800", "E78.00", True, "E78", "Pure hypercholesterolemia"),
    ("icd10cm", "E87", "E87", False, "", "Other fluid and electrolyte disorders"),
    ("icd10cm", "E876", "E87.6", True, "E87", "Hypokalemia"),
    ("icd10pcs", "0DTJ4ZZ", "0DTJ4ZZ", True, "", "Resection of appendix, endo"),
    ("icd10pcs", "0DTJ0ZZ", "0DTJ0ZZ", True, "", "Resection of appendix, open"),
    ("cpt", "99213", "99213", True, "", "Office visit, established, low"),
    ("cpt", "99214", "99214", True, "", "Office visit, established, moderate"),
]


def load_small_code_sets():
    """A release of each system with the few codes the tests use (once)."""
    if Release.objects.filter(version="TEST").exists():
        return
    releases = {
        system: Release.objects.create(
            system=system,
            version="TEST",
            effective_from=datetime.date(2025, 10, 1),
            source="tests/case_studies",
            demo=system == "cpt",
            checksum="test",
            loaded_at=timezone.now(),
        )
        for system in ("icd10cm", "icd10pcs", "cpt")
    }
    Code.objects.bulk_create(
        Code(
            release=releases[system],
            code=code,
            display=display,
            kind=CodeKind.CODE if billable else CodeKind.CATEGORY,
            billable=billable,
            parent=parent,
            description=description,
            search_text=description.lower(),
            digest=code,
        )
        for system, code, display, billable, parent, description in CODE_ROWS
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
