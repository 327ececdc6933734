"""Small code sets for the codesets tests: one ICD-10-CM chapter, a few PCS tables,
the demo lists, and two sample order-file releases set in the future."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from codesets.models import Release

DATA = Path(__file__).parent / "data"
SAMPLE_DOS = date(2030, 11, 1)
NEXT_DOS = date(2031, 11, 1)
TODAY_DOS = date(2026, 11, 1)


def import_file(kind: str, name: str, version: str, effective_from: str, **extra):
    """Run the import command on a sample file and return its output."""
    from io import StringIO

    out = StringIO()
    call_command(
        "import_codeset",
        kind,
        str(DATA / name),
        f"--release={version}",
        f"--effective-from={effective_from}",
        *(f"--{k.replace('_', '-')}={v}" for k, v in extra.items()),
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture(scope="module")
def code_sets(django_db_setup, django_db_blocker):
    """Committed for the module, removed after it: loading once keeps tests fast."""
    from io import StringIO

    with django_db_blocker.unblock():
        call_command(
            "load_codesets",
            icd10cm_chapter=["4"],
            pcs_prefix="0DT",
            stdout=StringIO(),
        )
        import_file("icd10cm-order", "icd10cm-order-sample.txt", "TEST-A", "2030-10-01")
        import_file("icd10cm-order", "icd10cm-order-next.txt", "TEST-B", "2031-10-01")
        import_file("hcpcs-anweb", "hcpcs_anweb-sample.txt", "TEST", "2030-01-01")
        yield
        Release.objects.all().delete()


@pytest.fixture(autouse=True)
def search_index_built_in_the_request(monkeypatch):
    """Build search indexes in the searching thread, so a test sees its own rows."""
    from codesets import search_index

    monkeypatch.setattr(search_index, "BUILD_IN_BACKGROUND", False)
