"""Edits over a set of codes: Excludes1, NCCI PTP and MUE, sex and age."""

import pytest

from codesets import edits as e
from tests.codesets.conftest import TODAY_DOS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("code_sets")]


def kinds(findings):
    return [(f.kind, f.blocking) for f in findings]


def test_excludes1_pair_is_flagged():
    findings = e.check_edits(date_of_service=TODAY_DOS, diagnoses=["E11.65", "E10.9"])
    assert kinds(findings) == [("excludes1", True)]
    assert "Excludes1" in findings[0].message


def test_codes_without_excludes1_pass():
    assert e.check_edits(date_of_service=TODAY_DOS, diagnoses=["E11.65", "E78.5"]) == []


def test_ptp_pair_with_indicator_0_is_never_allowed():
    lines = [e.ServiceLine("45380"), e.ServiceLine("45378", ("59",))]
    findings = e.check_edits(date_of_service=TODAY_DOS, procedures=lines)
    assert findings[0].message == e.PTP_NEVER.format(column1="45380", column2="45378")


def test_ptp_pair_with_indicator_1_names_the_modifiers_and_accepts_them():
    lines = [e.ServiceLine("27447"), e.ServiceLine("20610")]
    findings = e.check_edits(date_of_service=TODAY_DOS, procedures=lines)
    assert findings[0].message == e.PTP_MODIFIER.format(
        column1="27447", column2="20610"
    )
    bypassed = e.check_edits(
        date_of_service=TODAY_DOS,
        procedures=[e.ServiceLine("27447"), e.ServiceLine("20610", ("XS",))],
    )
    assert kinds(bypassed) == [("ptp", False)]


def test_deleted_ptp_edit_no_longer_fires():
    lines = [e.ServiceLine("96127"), e.ServiceLine("99213")]
    assert e.ptp_findings(lines, TODAY_DOS) == []


def test_mue_counts_units_per_day():
    lines = [e.ServiceLine("97110", units=4), e.ServiceLine("97110", ("59",), 3)]
    findings = e.check_edits(date_of_service=TODAY_DOS, procedures=lines)
    assert kinds(findings) == [("mue", True)]
    assert "7 units exceed the MUE of 6" in findings[0].message


def test_sex_and_age_conflicts():
    findings = e.check_edits(
        date_of_service=TODAY_DOS,
        procedures=[e.ServiceLine("59400")],
        sex="M",
        age=70,
    )
    assert sorted(f.kind for f in findings) == ["age", "sex"]


def test_an_em_bundled_with_a_procedure_is_freed_by_25_never_by_59():
    with_59 = e.check_edits(
        date_of_service=TODAY_DOS,
        procedures=[e.ServiceLine("11102"), e.ServiceLine("99213", ("59",))],
    )
    assert kinds(with_59) == [("ptp", True)]
    assert with_59[0].message == e.PTP_EM_MODIFIER.format(
        column1="11102", column2="99213"
    )
    with_25 = e.check_edits(
        date_of_service=TODAY_DOS,
        procedures=[e.ServiceLine("11102"), e.ServiceLine("99213", ("25",))],
    )
    assert kinds(with_25) == [("ptp", False)]


def test_25_does_not_free_a_procedure_from_its_edit():
    findings = e.check_edits(
        date_of_service=TODAY_DOS,
        procedures=[e.ServiceLine("27447"), e.ServiceLine("20610", ("25",))],
    )
    assert kinds(findings) == [("ptp", True)]
