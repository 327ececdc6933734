"""`manage.py grade KEY.json RESPONSE.json`: the documented examples, offline and
through the database code book, and every bad input as a clear CommandError."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from codesets.validation import HEADER
from grading.management.commands import grade as command
from grading.selectors import UNKNOWN_POLICY
from grading.services import MAX_DOCUMENT_BYTES
from tests.grading.bad_inputs import CASES
from tests.grading.conftest import DATA


def run(key, response, *options) -> dict:
    out = StringIO()
    call_command("grade", str(key), str(response), *options, stdout=out)
    return json.loads(out.getvalue())


def write(tmp_path, name, data) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


OUTPATIENT = (DATA / "outpatient-key.json", DATA / "outpatient-response.json")
INPATIENT = (DATA / "inpatient-key.json", DATA / "inpatient-response.json")


def test_offline_grades_the_documented_outpatient_example_as_documented():
    result = run(*OUTPATIENT, "--offline")
    assert (result["policy"], result["points"], result["max_points"]) == (
        "practice",
        4.25,
        8.0,
    )
    assert result["percentage"] == 53.12
    assert result["counts"] == {
        "exact": 2,
        "partial": 3,
        "missing": 0,
        "omitted": 1,
        "extra": 1,
        "invalid": 0,
    }
    assert result["metrics"]["overall"]["f1"] == 0.7273
    first = result["lines"][0]
    assert (first["status"], first["given_code"], first["points"]) == (
        "partial",
        "M17.9",
        0.25,
    )
    assert first["common_error"].startswith("The record names the knee")


def test_offline_grades_the_inpatient_example_with_the_pcs_axis_named():
    result = run(*INPATIENT, "--offline")
    assert result["counts"]["partial"] == 2 and result["counts"]["exact"] == 2
    principal = result["lines"][0]
    assert principal["differences"][0]["kind"] == "sequence"
    procedure = next(
        line for line in result["lines"] if line["section"] == "procedures"
    )
    assert procedure["differences"][0]["message"] == (
        "Character 5 (approach): expected 4, given 0."
    )
    assert procedure["common_error"].startswith("The appendectomy was laparoscopic")


def test_the_exam_policy_is_all_or_nothing():
    result = run(*OUTPATIENT, "--offline", "--policy", "exam")
    assert (result["policy"], result["points"], result["max_points"]) == (
        "exam",
        0.0,
        8.0,
    )


@pytest.mark.django_db
def test_the_database_code_book_rejects_codes_missing_from_the_release(code_sample):
    result = run(*OUTPATIENT)
    assert result["points"] == 4.25
    assert result["counts"]["extra"] == 0 and result["counts"]["invalid"] == 1
    j1100 = next(line for line in result["lines"] if line["given_code"] == "J1100")
    assert j1100["status"] == "invalid"
    assert "J1100 is not a code in the HCPCS" in j1100["validator_message"]


@pytest.mark.django_db
def test_the_database_code_book_explains_a_header(code_sample, tmp_path):
    response = write(tmp_path, "response.json", {"diagnoses": [{"code": "E11.6"}]})
    result = run(DATA / "outpatient-key.json", response)
    header = next(line for line in result["lines"] if line["given_code"] == "E11.6")
    assert header["status"] == "invalid"
    assert header["validator_message"].startswith(
        HEADER.split("{examples}")[0].format(display="E11.6")
    )


@pytest.mark.parametrize(("name", "key", "response", "field", "message"), CASES)
def test_schema_errors_name_the_field(tmp_path, name, key, response, field, message):
    with pytest.raises(CommandError) as caught:
        run(write(tmp_path, "k.json", key), write(tmp_path, "r.json", response))
    assert f"  {field}: {message}" in str(caught.value).splitlines()
    assert str(caught.value).startswith("Not graded:")


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError) as caught:
        run(tmp_path / "nowhere.json", OUTPATIENT[1], "--offline")
    assert str(caught.value) == command.NOT_FOUND.format(
        label="key", path=tmp_path / "nowhere.json"
    )


def test_invalid_json_is_named_with_its_position(tmp_path):
    broken = write(tmp_path, "r.json", '{"diagnoses": [}')
    with pytest.raises(CommandError) as caught:
        run(OUTPATIENT[0], broken, "--offline")
    assert str(caught.value) == command.NOT_JSON.format(
        label="response",
        path=broken,
        reason="Expecting value: line 1 column 16 (char 15)",
    )


def test_deeply_nested_json_is_refused_cleanly(tmp_path):
    deep = write(tmp_path, "r.json", "[" * 100_000)
    with pytest.raises(CommandError) as caught:
        run(OUTPATIENT[0], deep, "--offline")
    assert str(caught.value) == command.NOT_JSON.format(
        label="response", path=deep, reason=command.TOO_DEEP
    )


def test_a_megabyte_file_is_refused_before_parsing(tmp_path):
    huge = write(tmp_path, "k.json", json.dumps({"x": "a" * 1_000_000}))
    with pytest.raises(CommandError) as caught:
        run(huge, OUTPATIENT[1], "--offline")
    assert str(caught.value) == command.TOO_LARGE.format(
        label="key", path=huge, limit=MAX_DOCUMENT_BYTES // 1024
    )


@pytest.mark.django_db
def test_an_unknown_policy_is_named():
    with pytest.raises(CommandError) as caught:
        run(*OUTPATIENT, "--offline", "--policy", "lenient")
    message = UNKNOWN_POLICY.format(name="lenient", choices="practice, exam, strict")
    assert f"  policy: {message}" in str(caught.value).splitlines()
