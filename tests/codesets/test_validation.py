"""Validation of code input, the release in force, and the grading code book."""

from datetime import date

import pytest

from codeformats import CodeSystem
from codesets import validation as v
from codesets.selectors import release_for
from tests.codesets.conftest import NEXT_DOS, SAMPLE_DOS, TODAY_DOS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("code_sets")]


def check(system, raw, dos):
    return v.validate_codes_on(system, [raw], dos)[raw]


def test_release_for_picks_the_release_in_force_on_the_date():
    assert release_for(CodeSystem.ICD10CM, TODAY_DOS).version.startswith("2026-04")
    assert release_for(CodeSystem.ICD10CM, SAMPLE_DOS).version == "TEST-A"
    assert release_for(CodeSystem.ICD10CM, NEXT_DOS).version == "TEST-B"
    assert release_for(CodeSystem.ICD10CM, date(2020, 1, 1)) is None


@pytest.mark.parametrize("raw", ["e11.65", "E1165", " E11.65 "])
def test_input_is_normalised_and_a_billable_code_is_valid(raw):
    result = check(CodeSystem.ICD10CM, raw, TODAY_DOS)
    assert result.valid and result.status == v.Status.VALID
    assert result.code == "E1165" and result.display == "E11.65"
    assert result.description == "Type 2 diabetes mellitus with hyperglycemia"


def test_a_header_needs_more_characters():
    result = check(CodeSystem.ICD10CM, "E11.6", TODAY_DOS)
    assert not result.valid and result.status == v.Status.HEADER
    assert result.message.startswith(
        "E11.6 is a category header: it needs more characters"
    )
    assert "E11.61" in result.suggestions


def test_a_code_needing_a_seventh_character_says_which():
    result = check(CodeSystem.ICD10CM, "S72.001", SAMPLE_DOS)
    assert result.status == v.Status.SEVENTH_CHARACTER
    assert result.message == v.SEVENTH_CHARACTER.format(
        display="S72.001", choices="A, D, S"
    )
    wrong = check(CodeSystem.ICD10CM, "S72.001Z", SAMPLE_DOS)
    assert wrong.status == v.Status.SEVENTH_CHARACTER and "Z is not" in wrong.message


def test_a_missing_placeholder_x_is_pointed_out():
    result = check(CodeSystem.ICD10CM, "T36.01A", SAMPLE_DOS)
    assert result.status == v.Status.PLACEHOLDER
    assert result.message == v.PLACEHOLDER.format(
        display="T36.01A", suggestion="T36.0X1A"
    )


def test_a_code_dropped_by_a_later_release_is_deleted():
    result = check(CodeSystem.ICD10CM, "E11.69", NEXT_DOS)
    assert result.status == v.Status.DELETED and not result.valid
    assert result.message.startswith("E11.69 was deleted on 2031-10-01")


def test_a_code_of_a_later_release_is_not_yet_effective():
    result = check(CodeSystem.ICD10CM, "E11.A", SAMPLE_DOS)
    assert result.status == v.Status.NOT_YET_EFFECTIVE
    assert "takes effect on 2031-10-01" in result.message


def test_hcpcs_termination_and_replacement_come_from_the_source():
    result = check(CodeSystem.HCPCS, "G0202", SAMPLE_DOS)
    assert result.status == v.Status.DELETED
    assert result.message == "G0202 was deleted on 2017-12-31, replaced by 77067."
    later = check(CodeSystem.HCPCS, "G2211", SAMPLE_DOS)
    assert later.status == v.Status.NOT_YET_EFFECTIVE


def test_unknown_and_malformed_codes():
    unknown = check(CodeSystem.ICD10CM, "E11.99", TODAY_DOS)
    assert unknown.status == v.Status.UNKNOWN
    assert unknown.message == v.UNKNOWN.format(
        display="E11.99", label="ICD-10-CM", version=unknown.release
    )
    malformed = check(CodeSystem.ICD10PCS, "0DTJ4ZO", TODAY_DOS)
    assert malformed.status == v.Status.FORMAT and "never uses the letters" in (
        malformed.message
    )


def test_no_release_on_the_date_is_said_plainly():
    result = check(CodeSystem.ICD10CM, "E11.65", date(2019, 5, 1))
    assert result.status == v.Status.NO_RELEASE
    assert result.message == v.NO_RELEASE.format(label="ICD-10-CM", date="2019-05-01")


def test_cpt_without_a_licence_is_checked_against_the_demo_list():
    known = check(CodeSystem.CPT, "99213", TODAY_DOS)
    assert known.valid and known.message == v.CPT_DEMO_CHECKED
    other = check(CodeSystem.CPT, "99499", TODAY_DOS)
    assert other.valid and other.status == v.Status.UNVERIFIED


def test_many_codes_are_validated_in_a_fixed_number_of_queries(
    django_assert_max_num_queries,
):
    raws = ["E11.65", "E11.6", "E11.9", "E10.65", "E11.99", "XYZ", "E08.65", "E13.9"]
    release = release_for(CodeSystem.ICD10CM, TODAY_DOS)
    with django_assert_max_num_queries(4):
        results = v.validate_codes(CodeSystem.ICD10CM, raws, release, TODAY_DOS)
    assert len(results) == len(raws)
