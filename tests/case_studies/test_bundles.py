"""Case bundles: import all or nothing with errors naming file, case and field,
sanitising, idempotent re-import, export round trip, and the demo loader."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from case_studies import bundles
from case_studies.formats import FORMAT
from case_studies.models import CaseStudyPage
from core.imports import ImportRefused
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


def errors_of(data, tmp_path) -> list[str]:
    """The lines `import_cases` refuses `data` with."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CommandError) as raised:
        call_command("import_cases", str(path))
    return str(raised.value).splitlines()


def test_invalid_case_means_nothing_is_created(code_sets, tmp_path):
    good = bundle("outpatient.json")["cases"][0]
    bad = copy.deepcopy(bundle("inpatient.json")["cases"][0])
    bad["domains"] = ["no-such-domain"]
    bad["key"]["diagnoses"][0]["code"] = "E11.6"
    data = {"format": FORMAT, "version": 1, "cases": [good, bad]}
    errors = errors_of(data, tmp_path)
    assert (
        "bad.json: case 2 (test-inpatient-dka) → domains: unknown: no-such-domain"
        in (errors)
    )
    assert any(
        e.startswith(
            "bad.json: case 2 (test-inpatient-dka) → key → diagnosis 1: "
            "E11.6 is a category header"
        )
        for e in errors
    )
    assert not CaseStudyPage.objects.exists()


def test_import_command_reports_every_structural_error(code_sets, tmp_path):
    data = bundle("outpatient.json")
    data["cases"][0]["setting"] = "spaceship"
    data["cases"][0]["estimated_minutes"] = "8"
    data["cases"][0]["colour"] = "blue"
    del data["cases"][0]["title"]
    errors = errors_of(data, tmp_path)
    case = "bad.json: case 1 (test-office-diabetes)"
    assert errors == [
        f"{case} → title: is required",
        f"{case} → setting: must be 'physician_office', 'emergency_department', "
        "'ambulatory_surgery', 'inpatient', 'nursing_facility' or 'observation'",
        f"{case} → estimated_minutes: must be a whole number",
        f"{case} → colour: is not a field of this format",
    ]
    assert not CaseStudyPage.objects.exists()


def test_a_key_error_reads_as_the_author_counts(code_sets, tmp_path):
    data = bundle("outpatient.json")
    data["cases"][0]["key"]["service_lines"][0]["pointers"] = [1, 9]
    (error,) = errors_of(data, tmp_path)
    assert error.startswith(
        "bad.json: case 1 (test-office-diabetes) → key → service line 1 → pointer 2: "
    )


@pytest.mark.parametrize(
    "data, error",
    [
        (
            {"format": "other", "version": 1, "cases": [{}]},
            f"format: must be '{FORMAT}'",
        ),
        ({"format": FORMAT, "version": 2, "cases": [{}]}, "version: must be 1"),
        ({"format": FORMAT, "version": 1, "cases": []}, "cases: needs at least 1 item"),
        ([], "must be an object"),
    ],
)
def test_not_a_bundle(data, error):
    with pytest.raises(ImportRefused) as raised:
        bundles.bundle_validate(data, file="x.json")
    assert str(raised.value.problems[0]).startswith(f"x.json: {error}")


def test_a_file_that_is_not_json_is_named(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": ')
    with pytest.raises(CommandError, match=r"^broken\.json: is not JSON: "):
        call_command("import_cases", str(path))


def test_duplicate_slugs_and_bad_blocks_are_named(code_sets):
    case = bundle("outpatient.json")["cases"][0]
    broken = copy.deepcopy(case)
    broken["documentation"] = [{"type": "video", "value": {}}]
    other = copy.deepcopy(case)
    data = {"format": FORMAT, "version": 1, "cases": [case, broken]}
    with pytest.raises(ImportRefused) as raised:
        bundles.bundle_validate(data)
    (problem,) = raised.value.problems
    assert (
        problem.path == "case 2 (test-office-diabetes) → documentation block 1 (video)"
    )
    assert problem.message.startswith("has an unknown type")
    data["cases"][1] = other
    with pytest.raises(ImportRefused) as raised:
        bundles.bundle_validate(data)
    (problem,) = raised.value.problems
    assert (problem.path, problem.message) == (
        "case 2 (test-office-diabetes) → slug",
        bundles.DUPLICATE_SLUG,
    )


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
