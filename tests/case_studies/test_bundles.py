"""Case bundles: import all or nothing with errors naming case and field,
sanitising, idempotent re-import, export round trip, and the demo loader."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from case_studies import bundles
from case_studies.models import CaseStudyPage
from tests.case_studies.conftest import DATA, bundle

pytestmark = pytest.mark.django_db


def test_import_creates_and_publishes_cases(code_sets):
    out = StringIO()
    call_command("import_cases", str(DATA / "outpatient.json"), stdout=out)
    assert "1 created" in out.getvalue()
    case = CaseStudyPage.objects.get(slug="test-office-diabetes")
    assert case.live
    assert case.get_parent().slug == "cases"
    assert sorted(case.domains.values_list("slug", flat=True)) == [
        "cpc-evaluation-management",
        "cpc-icd-10-cm",
    ]
    assert case.key_data["diagnoses"][0]["code"] == "E11.65"
    assert case.key_data["service_lines"][0]["pointers"] == [1, 2]


def test_imported_rich_text_is_sanitised(code_sets):
    bundles.bundle_import(bundle("outpatient.json"))
    note = CaseStudyPage.objects.get(slug="test-office-diabetes").documentation[0]
    hpi, exam = str(note.value["hpi"]), str(note.value["exam"])
    assert "<script" not in hpi and "alert" not in hpi
    assert "javascript:" not in exam and "onclick" not in exam and "link" in exam


def test_reimport_is_idempotent_and_changes_make_a_revision(code_sets):
    data = bundle("outpatient.json")
    bundles.bundle_import(data)
    case = CaseStudyPage.objects.get(slug="test-office-diabetes")
    revisions = case.revisions.count()
    assert bundles.bundle_import(data).unchanged == ["test-office-diabetes"]
    assert case.revisions.count() == revisions
    changed = copy.deepcopy(data)
    changed["cases"][0]["title"] = "Renamed test case"
    assert bundles.bundle_import(changed).updated == ["test-office-diabetes"]
    case.refresh_from_db()
    assert case.title == "Renamed test case"
    assert case.revisions.count() == revisions + 1


def test_invalid_case_means_nothing_is_created(code_sets):
    good = bundle("outpatient.json")["cases"][0]
    bad = copy.deepcopy(bundle("inpatient.json")["cases"][0])
    bad["domains"] = ["no-such-domain"]
    bad["key"]["diagnoses"][0]["code"] = "E11.6"
    data = {"format": bundles.FORMAT, "version": 1, "cases": [good, bad]}
    with pytest.raises(bundles.BundleError) as raised:
        bundles.bundle_import(data)
    errors = raised.value.errors
    assert any(
        e.startswith("Case 2 (test-inpatient-dka): domains: unknown: no-such-domain")
        for e in errors
    )
    assert any("key.diagnoses[0].code" in e and "E11.6" in e for e in errors)
    assert not CaseStudyPage.objects.exists()


def test_import_command_reports_errors(code_sets, tmp_path):
    data = bundle("outpatient.json")
    data["cases"][0]["setting"] = "spaceship"
    del data["cases"][0]["title"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as raised:
        call_command("import_cases", str(path))
    message = str(raised.value)
    assert "Case 1 (test-office-diabetes): title: is required" in message
    assert "setting: must be one of" in message
    assert not CaseStudyPage.objects.exists()


@pytest.mark.parametrize(
    "data, error",
    [
        ({"format": "other"}, bundles.NOT_A_BUNDLE),
        ({"format": bundles.FORMAT, "version": 2, "cases": []}, bundles.BAD_VERSION),
        ({"format": bundles.FORMAT, "version": 1, "cases": []}, bundles.NO_CASES),
    ],
)
def test_not_a_bundle(data, error):
    with pytest.raises(bundles.BundleError) as raised:
        bundles.bundle_validate(data)
    assert raised.value.errors == [error]


def test_duplicate_slugs_and_bad_blocks_are_named(code_sets):
    case = bundle("outpatient.json")["cases"][0]
    broken = copy.deepcopy(case)
    broken["documentation"] = [{"type": "video", "value": {}}]
    data = {"format": bundles.FORMAT, "version": 1, "cases": [case, broken]}
    with pytest.raises(bundles.BundleError) as raised:
        bundles.bundle_validate(data)
    joined = "\n".join(raised.value.errors)
    assert "Case 2 (test-office-diabetes): slug: " + bundles.DUPLICATE_SLUG in joined
    assert "documentation[0].type" in joined


def test_export_round_trip(code_sets, tmp_path):
    bundles.bundle_import(bundle("outpatient.json"))
    bundles.bundle_import(bundle("inpatient.json"))
    out = tmp_path / "export.json"
    call_command(
        "export_cases", str(out), "--slug=test-inpatient-dka", stdout=StringIO()
    )
    exported = json.loads(out.read_text())
    assert [c["slug"] for c in exported["cases"]] == ["test-inpatient-dka"]
    assert exported["cases"][0]["key"]["procedures"][0]["code"] == "0DTJ4ZZ"
    assert bundles.bundle_import(exported).unchanged == ["test-inpatient-dka"]


def test_load_demo_cases_is_idempotent(code_sets, tmp_path):
    for name in ("outpatient.json", "inpatient.json"):
        (tmp_path / name).write_text((DATA / name).read_text())
    out = StringIO()
    call_command("load_demo_cases", f"--dir={tmp_path}", stdout=out)
    assert "2 created" in out.getvalue()
    call_command("load_demo_cases", f"--dir={tmp_path}", stdout=out)
    assert "2 unchanged" in out.getvalue()
