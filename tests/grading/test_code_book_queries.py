"""The database code book resolves every code of a key and a response in a fixed
number of queries, whatever their number, and each process remembers the statuses
it resolved for the current releases (a second grading of the same codes reads
only the release table), until a release is loaded again."""

import pytest
from django.utils import timezone

from codesets.models import Code, Release
from tests.support.grading import grade_by_command

pytestmark = pytest.mark.django_db

# At most: the release table; per code system (4) its rows and the other releases
# of its unknown codes; for ICD-10-CM the children of headers, the notes and the
# expansion history of headers (3); for CPT and HCPCS the MUEs. A regression to a
# query per code (40 codes here) goes far past it.
COLD_QUERIES = 1 + 4 * 2 + 1 + 1 + 3 + 2

KEY = {
    "setting": "inpatient",
    "date_of_service": "2026-02-02",
    "diagnoses": [
        {"code": code}
        for code in ("K35.80", "E11.65", "I10", "M17.11", "Z79.4", "E11.9")
    ],
    "procedures": [{"code": "0DTJ4ZZ"}],
    "service_lines": [
        {"code": "99214", "modifiers": ["25"]},
        {"code": "20610", "modifiers": ["RT"]},
        {"code": "J3301", "units": 4},
    ],
}
# 20 lines, 40 distinct codes with the key's: valid, a header, codes in no release.
RESPONSE = {
    "diagnoses": [
        {"code": code}
        for code in (
            "E11.69",
            "K35.80",
            "I10",
            "M17.12",
            "M17.9",
            "Z79.4",
            "E11.6",
            "J45.909",
            "R10.31",
            "N39.0",
            "E66.9",
            "I25.10",
        )
    ],
    "procedures": [{"code": "0DTJ0ZZ"}, {"code": "0DBJ4ZZ"}],
    "service_lines": [
        {"code": "99213"},
        {"code": "20611", "modifiers": ["LT"]},
        {"code": "J3301", "units": 40},
        {"code": "J1100"},
        {"code": "G0008"},
        {"code": "93000"},
    ],
}


def grade(tmp_path, key=KEY, response=RESPONSE) -> dict:
    return grade_by_command(tmp_path, key, response)


def line_of(result: dict, given: str) -> dict:
    return next(line for line in result["lines"] if line["given_code"] == given)


def test_a_20_line_answer_costs_a_fixed_number_of_queries(
    code_sample, tmp_path, django_assert_max_num_queries
):
    with django_assert_max_num_queries(COLD_QUERIES):
        result = grade(tmp_path)
    assert len(result["lines"]) >= 20
    assert line_of(result, "E11.6")["status"] == "invalid"
    assert line_of(result, "J45.909")["status"] == "invalid"
    assert line_of(result, "I10")["status"] == "exact"


def test_the_same_codes_graded_again_read_only_the_release_table(
    code_sample, tmp_path, django_assert_max_num_queries
):
    first = grade(tmp_path)
    with django_assert_max_num_queries(1):
        again = grade(tmp_path)
    assert again == first


def test_a_reloaded_release_is_read_again(code_sample, tmp_path):
    assert line_of(grade(tmp_path), "M17.12")["status"] != "invalid"
    release = Release.objects.get(system="icd10cm")
    Code.objects.filter(release=release, code="M1712").delete()
    # What every load does to a release whose rows changed.
    release.loaded_at = timezone.now()
    release.checksum = "1" * 64
    release.save(update_fields=["loaded_at", "checksum"])
    assert line_of(grade(tmp_path), "M17.12")["status"] == "invalid"
