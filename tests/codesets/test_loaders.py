"""The loading commands: success, idempotent re-runs, and refused files."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from codesets.models import Code, MedicallyUnlikelyEdit, PtpEdit, Release
from tests.codesets.conftest import import_file

pytestmark = pytest.mark.django_db


def test_load_codesets_loads_small_sets_and_skips_unchanged_on_rerun():
    out = StringIO()
    options = {"icd10cm_chapter": ["4"], "pcs_prefix": "0DTJ", "stdout": out}
    call_command("load_codesets", **options)
    assert Code.objects.filter(release__system="icd10cm", code="E1165").exists()
    assert Code.objects.filter(release__system="icd10pcs", code="0DTJ4ZZ").exists()
    assert Release.objects.get(system="cpt").demo
    assert PtpEdit.objects.exists() and MedicallyUnlikelyEdit.objects.exists()
    assert "added" in out.getvalue()
    rows = Code.objects.count()
    again = StringIO()
    call_command("load_codesets", **{**options, "stdout": again})
    assert again.getvalue().count("unchanged") == 7
    assert Code.objects.count() == rows


@pytest.mark.parametrize(
    ("kind", "name", "system"),
    [
        ("icd10cm-order", "icd10cm-order-sample.txt", "icd10cm"),
        ("icd10pcs-order", "icd10pcs_order-sample.txt", "icd10pcs"),
        ("hcpcs-anweb", "hcpcs_anweb-sample.txt", "hcpcs"),
        ("cpt-ama", "cpt_longult-sample.txt", "cpt"),
        ("ncci-ptp", "ncci_ptp-sample.txt", "ncci_ptp"),
        ("ncci-mue", "ncci_mue-sample.csv", "ncci_mue"),
    ],
)
def test_import_codeset_loads_each_official_layout_idempotently(kind, name, system):
    first = import_file(kind, name, "T1", "2030-10-01")
    release = Release.objects.get(system=system, version="T1")
    assert release.row_count > 0 and "added" in first
    assert release.licensed == (system == "cpt")
    second = import_file(kind, name, "T1", "2030-10-01")
    assert "unchanged" in second


def test_reimport_of_a_changed_file_touches_only_what_changed():
    import_file("icd10cm-order", "icd10cm-order-sample.txt", "T1", "2030-10-01")
    kept = Code.objects.get(release__version="T1", code="E1165")
    out = import_file("icd10cm-order", "icd10cm-order-next.txt", "T1", "2030-10-01")
    assert "1 added" in out and "1 removed" in out
    assert Code.objects.get(release__version="T1", code="E1165").pk == kept.pk
    assert not Code.objects.filter(release__version="T1", code="E1169").exists()


@pytest.mark.parametrize(
    ("kind", "name", "line"),
    [
        ("icd10cm-order", "icd10cm-order-malformed.txt", 3),
        ("hcpcs-anweb", "hcpcs_anweb-malformed.txt", 3),
        ("cpt-ama", "cpt_longult-malformed.txt", 2),
        ("ncci-ptp", "ncci_ptp-malformed.txt", 4),
        ("ncci-mue", "ncci_mue-malformed.csv", 4),
    ],
)
def test_malformed_file_is_refused_with_its_line_and_nothing_loaded(kind, name, line):
    with pytest.raises(CommandError) as error:
        import_file(kind, name, "BAD", "2030-10-01")
    assert f"line {line}:" in str(error.value)
    assert "Nothing of the file was loaded" in str(error.value)
    assert not Release.objects.filter(version="BAD").exists()
