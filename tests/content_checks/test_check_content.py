"""`manage.py check_content`: the demo content has no findings, and an error of
each kind planted in a copy of a demo key is reported with its rule."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from case_studies.models import CaseStudyPage
from certifications.models import Certification
from content_checks.management.commands.check_content import (
    ACCEPTED,
    FINDINGS,
    NO_FINDINGS,
)
from content_checks.rules import (
    AGE,
    CHAPTER_15,
    CODE_FIRST,
    EM_SETTING,
    EXCLUDES1,
    MUE,
    PTP,
    SEVENTH_CHARACTER,
    SEX,
    USE_ADDITIONAL,
    VALIDITY,
)
from content_checks.services import REASON_REQUIRED, AcceptError, finding_accept
from exams.models import Question, QuestionKind

DEMO_CASES = Path(__file__).parents[2] / "case_studies" / "demo" / "cases"


def demo_case(prefix: str) -> dict:
    (path,) = DEMO_CASES.glob(f"{prefix}-*.json")
    return json.loads(path.read_text())["cases"][0]


def demo_key(prefix: str) -> dict:
    return copy.deepcopy(demo_case(prefix)["key"])


def codes(lines: list[dict]) -> list[str]:
    return [line["code"] for line in lines]


def dx_line(code: str) -> dict:
    return {"code": code, "rationale": "planted", "reference": "planted"}


def import_bundle(tmp_path, *cases: dict) -> None:
    bundle = tmp_path / "planted.json"
    data = {"format": "coderacademy-case-bundle", "version": 1, "cases": list(cases)}
    bundle.write_text(json.dumps(data))
    call_command("import_cases", str(bundle), stdout=StringIO())


def run_check() -> tuple[str, str]:
    out = StringIO()
    try:
        call_command("check_content", stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), ""


@pytest.mark.django_db
def test_the_demo_content_has_no_findings(code_sets):
    call_command("load_demo_cases", stdout=StringIO())
    call_command("load_demo_exams", stdout=StringIO())
    call_command("load_demo_courses", stdout=StringIO())

    out, error = run_check()

    assert error == "", out
    assert NO_FINDINGS in out


def planted_keys() -> dict[str, tuple[dict, str, object, tuple[str, ...]]]:
    """Per exam item slug: (key, record, rule, codes the finding names)."""
    woman = "A 26-year-old woman, G1P0."
    planted = {}

    key = demo_key("41")  # O80, Z37.0, Z3A.39: vaginal delivery
    key["diagnoses"].insert(1, dx_line("O75.81"))
    planted["plant-o80-not-alone"] = (key, woman, CHAPTER_15, ("O80", "O75.81"))

    key = demo_key("41")
    key["diagnoses"][:2] = reversed(key["diagnoses"][:2])
    planted["plant-outcome-before-o80"] = (
        key,
        woman,
        USE_ADDITIONAL,
        ("O80", "Z37.0"),
    )

    key = demo_key("41")
    planted["plant-delivery-for-a-man"] = (
        key,
        "A 26-year-old man.",
        SEX,
        ("O80",),
    )
    planted["plant-delivery-at-70"] = (
        demo_key("41"),
        "A 70-year-old woman.",
        AGE,
        ("O80",),
    )

    key = demo_key("04")  # preventive visit: no chapter 15 code
    key["diagnoses"].append(dx_line("Z37.0"))
    planted["plant-outcome-without-delivery"] = (key, woman, CHAPTER_15, ("Z37.0",))

    key = demo_key("04")
    key["diagnoses"].append(dx_line("Z3A.39"))
    planted["plant-weeks-without-delivery"] = (key, woman, CODE_FIRST, ("Z3A.39",))

    key = demo_key("03")  # I11.0 with I50.23
    key["diagnoses"] = [d for d in key["diagnoses"] if d["code"] != "I50.23"]
    for line in key["service_lines"]:
        line["pointers"] = [1]
    planted["plant-heart-failure-type-missing"] = (
        key,
        "A 74-year-old man.",
        USE_ADDITIONAL,
        ("I11.0",),
    )

    key = demo_key("40")  # I13.0, I50.33, E11.22, N18.32
    assert codes(key["diagnoses"])[2:4] == ["E11.22", "N18.32"]
    key["diagnoses"][2:4] = reversed(key["diagnoses"][2:4])
    planted["plant-ckd-before-diabetes"] = (
        key,
        "A 68-year-old woman.",
        CODE_FIRST,
        ("N18.32", "E11.22"),
    )

    key = demo_key("21")  # M51.17 radiculopathy with the disc disorder
    key["diagnoses"].append(dx_line("M54.17"))
    planted["plant-excludes1-pair"] = (
        key,
        "A 52-year-old man.",
        EXCLUDES1,
        ("M54.17", "M51.17"),
    )

    key = demo_key("06")
    key["diagnoses"][0]["code"] = "I21.0"
    planted["plant-header-code"] = (key, "A 61-year-old man.", VALIDITY, ("I21.0",))

    key = demo_key("05")
    key["diagnoses"][0]["code"] = "S06.0X0"
    planted["plant-seventh-character"] = (
        key,
        "A 71-year-old woman.",
        SEVENTH_CHARACTER,
        ("S06.0X0",),
    )

    key = demo_key("16")  # 45385 and 45380-XS
    key["service_lines"].append({"code": "45378", "units": 1, "pointers": [1]})
    planted["plant-ptp-pair"] = (key, "A 60-year-old man.", PTP, ("45380", "45378"))

    key = demo_key("12")  # 20610-50, 1 unit
    key["service_lines"][0]["units"] = 3
    planted["plant-mue-units"] = (key, "A 69-year-old woman.", MUE, ("20610",))
    return planted


@pytest.mark.django_db
def test_each_planted_error_is_reported_with_its_rule(code_sets, tmp_path):
    ccs = Certification.objects.get(slug="ccs")
    planted = planted_keys()
    for slug, (key, record, _, _) in planted.items():
        Question.objects.create(
            slug=slug,
            kind=QuestionKind.CODING,
            certification=ccs,
            stem="<p>Code the record.</p>",
            scenario=f"<p>{record}</p>",
            key=key,
        )
    # The E/M family is checked against a case's place of service. A case whose
    # setting changed without its key being checked again (imported as an office
    # visit, then moved to the ED) is what the command is there to find.
    case = demo_case("05")  # emergency department
    case.update(slug="plant-office-visit-in-the-ed", setting="physician_office")
    line = case["key"]["service_lines"][0]
    assert line["code"] == "99284"
    line.update(code="99214", alternatives=[], common_errors=[])
    import_bundle(tmp_path, case)
    CaseStudyPage.objects.filter(slug=case["slug"]).update(
        setting="emergency_department"
    )

    out, error = run_check()

    assert error == FINDINGS.format(count=len(out.splitlines()))
    reported = {}
    for line in out.splitlines():
        where, codes_shown, rest = line.split(": ", 2)
        rule = rest.rsplit("[", 1)[1].split(";")[0]
        reported.setdefault(where, set()).add((rule, codes_shown))
    for slug, (_, _, rule, expected) in planted.items():
        found = reported[f"exam item {slug}"]
        assert (rule.slug, ", ".join(expected)) in found, (slug, found)
    case_findings = reported["case plant-office-visit-in-the-ed"]
    assert case_findings == {(EM_SETTING.slug, "99214")}


@pytest.mark.django_db
def test_a_finding_accepted_with_a_reason_is_no_longer_reported(code_sets):
    key, record, _, _ = planted_keys()["plant-excludes1-pair"]
    Question.objects.create(
        slug="plant-excludes1-pair",
        kind=QuestionKind.CODING,
        certification=Certification.objects.get(slug="ccs"),
        stem="<p>Code the record.</p>",
        scenario=f"<p>{record}</p>",
        key=key,
    )
    out, error = run_check()
    assert error and "finding excludes1:M54.17+M51.17" in out
    where = "exam item plant-excludes1-pair"

    with pytest.raises(AcceptError, match=REASON_REQUIRED):
        finding_accept(where=where, finding="excludes1:M54.17+M51.17", reason=" ")
    finding_accept(
        where=where,
        finding="excludes1:M54.17+M51.17",
        reason="Planted to test acceptance; I.A.12.a exception does not apply.",
    )
    out, error = run_check()

    assert error == ""
    assert ACCEPTED.format(count=1) in out and NO_FINDINGS in out
