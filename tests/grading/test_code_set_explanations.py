"""`manage.py grade` through the database code book explains mistakes from the code
sets: a header expanded since an earlier release, a symptom integral to a coded
diagnosis, an Excludes1 pair, a missing "use additional code" partner, units over
the MUE, and the CC/MCC status of inpatient diagnoses."""

from datetime import date

import pytest

from codeformats import CodeSystem
from codesets.factories import ReleaseFactory
from codesets.models import MedicallyUnlikelyEdit
from grading.codebook import EXPANDED
from grading.engine.explain import EXCLUDES1_PAIR, INTEGRAL_SYMPTOM, USE_ADDITIONAL
from tests.support.grading import grade_by_command

pytestmark = pytest.mark.django_db

# code -> (billable, parent, description, notes, excludes1)
CURRENT = {
    "K35": (False, "", "Acute appendicitis", {}, []),
    "K353": (False, "K35", "Acute appendicitis with localized peritonitis", {}, []),
    "K3530": (True, "K353", "Localized peritonitis, no perforation", {}, []),
    "K3533": (True, "K353", "Localized peritonitis with abscess", {}, []),
    "K3580": (True, "K358", "Acute appendicitis, not otherwise described", {}, []),
    "R1031": (True, "R103", "Pain in the right lower quadrant", {}, []),
    "E10": (False, "", "Type 1 diabetes", {"excludes1": ["type 2 (E11.-)"]}, ["E11"]),
    "E109": (True, "E10", "Type 1 diabetes without complications", {}, []),
    "E11": (
        False,
        "",
        "Type 2 diabetes",
        {"use_additional_code": ["insulin (Z79.4)"]},
        [],
    ),
    "E119": (True, "E11", "Type 2 diabetes without complications", {}, []),
    "Z794": (True, "Z79", "Long-term use of insulin", {}, []),
    "J9601": (True, "J960", "Acute respiratory failure with low oxygen", {}, []),
}


@pytest.fixture
def code_sets():
    """An ICD-10-CM release of 2018 where K35.3 was a code, the current one where it
    is a header, PCS and HCPCS codes, and an MUE of 20 units for J3301."""
    cm = CodeSystem.ICD10CM
    ReleaseFactory(
        system=cm,
        version="FY2018",
        effective_from=date(2017, 10, 1),
        codes=[{"code": "K353", "description": "Appendicitis, localized"}],
    )
    ReleaseFactory(
        system=cm,
        version="FY2026",
        effective_from=date(2025, 10, 1),
        codes=[
            {
                "code": code,
                "billable": billable,
                "parent": parent,
                "description": text,
                "notes": notes,
                "excludes1": refs,
            }
            for code, (billable, parent, text, notes, refs) in CURRENT.items()
        ],
    )
    ReleaseFactory(
        system=CodeSystem.ICD10PCS,
        version="FY2026",
        effective_from=date(2025, 10, 1),
        codes=[{"code": "0DTJ4ZZ"}],
    )
    for system, code in ((CodeSystem.CPT, "20610"), (CodeSystem.HCPCS, "J3301")):
        ReleaseFactory(
            system=system,
            version="2026",
            effective_from=date(2026, 1, 1),
            codes=[{"code": code}],
        )
    mue = ReleaseFactory(
        system="ncci_mue", version="2026Q1", effective_from=date(2026, 1, 1)
    )
    MedicallyUnlikelyEdit.objects.create(
        release=mue, code="J3301", value=20, adjudication_indicator="3", digest="x"
    )


def _key(setting, diagnoses, procedures=(), service_lines=()):
    return {
        "setting": setting,
        "date_of_service": "2026-03-14",
        "diagnoses": [{"code": code} for code in diagnoses],
        "procedures": [{"code": code} for code in procedures],
        "service_lines": list(service_lines),
    }


def _explanations(result) -> list[str]:
    return [text for line in result["lines"] for text in line["explanations"]]


def test_a_retired_code_says_when_it_was_expanded_and_into_what(code_sets, tmp_path):
    result = grade_by_command(
        tmp_path,
        _key("inpatient", ["K35.80"], ["0DTJ4ZZ"]),
        {"diagnoses": [{"code": "K35.3"}], "procedures": [{"code": "0DTJ4ZZ"}]},
    )
    assert EXPANDED.format(
        code="K35.3", first="K35.30", last="K35.33", date="2025-10-01"
    ) in _explanations(result)


def test_an_integral_symptom_and_an_excludes1_pair_are_explained(code_sets, tmp_path):
    result = grade_by_command(
        tmp_path,
        _key("inpatient", ["K35.80", "E11.9"], ["0DTJ4ZZ"]),
        {
            "diagnoses": [
                {"code": "K35.80"},
                {"code": "E11.9"},
                {"code": "R10.31"},
                {"code": "E10.9"},
            ],
            "procedures": [{"code": "0DTJ4ZZ"}],
        },
    )
    explanations = _explanations(result)
    assert (
        INTEGRAL_SYMPTOM.format(symptom="R10.31", definitive="K35.80, E11.9")
        in explanations
    )
    assert EXCLUDES1_PAIR.format(code="E10.9", other="E11.9") in explanations


def test_a_missing_use_additional_partner_is_explained(code_sets, tmp_path):
    result = grade_by_command(
        tmp_path,
        _key("professional", ["E11.9", "Z79.4"]),
        {"diagnoses": [{"code": "E11.9"}]},
    )
    assert USE_ADDITIONAL.format(partner="E11.9", code="Z79.4") in _explanations(result)


def test_units_over_the_mue_deny_the_line(code_sets, tmp_path):
    line = {"code": "J3301", "units": 8, "pointers": [1]}
    result = grade_by_command(
        tmp_path,
        _key("professional", ["K35.80"], service_lines=[line]),
        {"diagnoses": [{"code": "K35.80"}], "service_lines": [line | {"units": 80}]},
    )
    drug = next(item for item in result["lines"] if item["expected_code"] == "J3301")
    assert [item["rule"] for item in drug["deductions"]] == ["units_over_mue"]
    assert drug["points"] == 0


def test_inpatient_diagnoses_show_their_cc_mcc_status(code_sets, tmp_path):
    result = grade_by_command(
        tmp_path,
        _key("inpatient", ["K35.80"], ["0DTJ4ZZ"]),
        {
            "diagnoses": [{"code": "K35.80"}, {"code": "J96.01"}],
            "procedures": [{"code": "0DTJ4ZZ"}],
        },
    )
    extra = next(item for item in result["lines"] if item["given_code"] == "J96.01")
    assert extra["cc_mcc"] == "mcc"
    assert [item["rule"] for item in extra["deductions"]] == ["extra_cc_mcc"]
