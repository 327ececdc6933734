import copy
import datetime
import json

import pytest

from grading.engine import (
    AnswerKey,
    CommonError,
    GivenLine,
    KeyLine,
    SchemaError,
    Setting,
    key_to_dict,
    parse_key,
    parse_response,
    response_from_key,
    response_to_dict,
)
from grading.engine.policy import MUST_BE_FRACTION, UNKNOWN_ROW
from grading.engine.schema import (
    BAD_DATE,
    BAD_POA,
    BAD_SETTING,
    MUST_BE_BOOLEAN,
    MUST_BE_INTEGER,
    MUST_BE_LIST,
    MUST_BE_OBJECT,
    MUST_BE_STRING,
    MUST_NOT_BE_EMPTY,
    NO_REQUIRED_LINE,
    OUT_OF_RANGE,
    POINTER_PAST_END,
    PRINCIPAL_NOT_OPTIONAL,
    REPEATED_CODE,
    REPEATED_POINTER,
    REQUIRED,
    SAME_AS_LINE_CODE,
    TOO_LONG,
    TOO_MANY_DIAGNOSES,
    TOO_MANY_ITEMS,
    UNKNOWN_FIELD,
)

OUTPATIENT_KEY = {
    "setting": "outpatient",
    "date_of_service": "2026-03-14",
    "diagnoses": [
        {
            "code": "e11.65",
            "alternatives": [],
            "optional": False,
            "common_errors": [
                {"code": "E11.9", "explanation": "Hyperglycemia is documented."}
            ],
            "rationale": "Type 2 diabetes with hyperglycemia.",
            "reference": "ICD-10-CM Official Guidelines I.C.4.a",
        },
        {"code": "I10"},
        {"code": "Z79.4", "optional": True},
    ],
    "service_lines": [
        {"code": "99214", "modifiers": ["25"], "units": 1, "pointers": [1, 2]},
        {"code": "20610", "modifiers": ["rt"], "pointers": [2]},
    ],
}


def test_parse_key_normalises_codes_and_fills_defaults():
    key = parse_key(OUTPATIENT_KEY)
    assert key.setting is Setting.OUTPATIENT
    assert key.date_of_service == datetime.date(2026, 3, 14)
    assert key.diagnoses[0] == KeyLine(
        code="E1165",
        common_errors=(CommonError("E119", "Hyperglycemia is documented."),),
        rationale="Type 2 diabetes with hyperglycemia.",
        reference="ICD-10-CM Official Guidelines I.C.4.a",
    )
    assert key.diagnoses[2].optional
    assert key.service_lines[1] == KeyLine(
        code="20610", modifiers=("RT",), units=1, pointers=(2,)
    )
    assert key.procedures == ()


def test_key_round_trips_through_json():
    key = parse_key(OUTPATIENT_KEY)
    document = json.loads(json.dumps(key_to_dict(key)))
    assert document["diagnoses"][0]["code"] == "E11.65"
    assert parse_key(document) == key


def test_response_round_trips_and_keeps_codes_as_typed():
    response = parse_response(
        {
            "diagnoses": [{"code": " e11.65 "}, {"code": "E11.6"}],
            "service_lines": [{"code": "99214", "modifiers": ["25"], "pointers": [2]}],
        }
    )
    assert response.diagnoses[0] == GivenLine("e11.65")
    assert response.service_lines[0] == GivenLine("99214", ("25",), 1, (2,))
    assert parse_response(response_to_dict(response)) == response


def test_response_from_key_lists_every_main_code():
    key = parse_key(OUTPATIENT_KEY)
    response = response_from_key(key)
    assert [line.code for line in response.diagnoses] == ["E11.65", "I10", "Z79.4"]
    assert response.service_lines[0] == GivenLine("99214", ("25",), 1, (1, 2))


def _with(path: list, value, document=OUTPATIENT_KEY) -> dict:
    """A copy of `document` with the item at `path` replaced (or deleted)."""
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


_DELETE = object()
THIRTEEN = (
    [{"code": f"J44.{digit}"} for digit in range(2)]
    + [{"code": f"E11.{digit}{tail}"} for digit in (2, 3, 4, 5, 6) for tail in (1, 9)]
    + [{"code": "I10"}]
)


@pytest.mark.parametrize(
    ("path", "value", "field", "message"),
    [
        (["diagnoses", 0, "code"], 1165, "diagnoses[0].code", MUST_BE_STRING),
        (["diagnoses", 0, "code"], "   ", "diagnoses[0].code", MUST_NOT_BE_EMPTY),
        (
            ["diagnoses", 0, "code"],
            "E" * 101,
            "diagnoses[0].code",
            TOO_LONG.format(limit=100),
        ),
        (["diagnoses", 0, "code"], _DELETE, "diagnoses[0].code", MUST_BE_STRING),
        (
            ["diagnoses", 0, "alternatives"],
            "E11.649",
            "diagnoses[0].alternatives",
            MUST_BE_LIST,
        ),
        (["diagnoses", 0, "optional"], "yes", "diagnoses[0].optional", MUST_BE_BOOLEAN),
        (
            ["diagnoses", 0, "optional"],
            True,
            "diagnoses[0].optional",
            PRINCIPAL_NOT_OPTIONAL.format(what="diagnosis"),
        ),
        (
            ["diagnoses", 0, "modifiers"],
            ["25"],
            "diagnoses[0].modifiers",
            UNKNOWN_FIELD,
        ),
        (
            ["diagnoses", 0, "rationale"],
            "x" * 5001,
            "diagnoses[0].rationale",
            TOO_LONG.format(limit=5000),
        ),
        (
            ["diagnoses", 1, "code"],
            "E11.65",
            "diagnoses[1].code",
            REPEATED_CODE.format(code="E11.65", first="diagnoses[0].code"),
        ),
        (
            ["diagnoses", 0, "common_errors", 0, "code"],
            "E11.65",
            "diagnoses[0].common_errors[0].code",
            SAME_AS_LINE_CODE.format(code="E11.65"),
        ),
        (
            ["diagnoses", 0, "common_errors", 0],
            "E11.9",
            "diagnoses[0].common_errors[0]",
            MUST_BE_OBJECT,
        ),
        (["diagnoses", 0], "E11.65", "diagnoses[0]", MUST_BE_OBJECT),
        (["diagnoses"], {"code": "E11.65"}, "diagnoses", MUST_BE_LIST),
        (
            ["diagnoses"],
            THIRTEEN,
            "diagnoses",
            TOO_MANY_DIAGNOSES.format(limit=12, setting="outpatient"),
        ),
        (
            ["service_lines", 0, "modifiers"],
            ["25", "59", "RT", "LT", "XS"],
            "service_lines[0].modifiers",
            TOO_MANY_ITEMS.format(limit=4, noun="modifiers"),
        ),
        (
            ["service_lines", 0, "modifiers"],
            [25],
            "service_lines[0].modifiers[0]",
            MUST_BE_STRING,
        ),
        (
            ["service_lines", 0, "pointers"],
            [1, 2, 3, 1, 2],
            "service_lines[0].pointers",
            TOO_MANY_ITEMS.format(limit=4, noun="pointers"),
        ),
        (
            ["service_lines", 0, "pointers"],
            [4],
            "service_lines[0].pointers[0]",
            POINTER_PAST_END.format(pointer=4, count=3),
        ),
        (
            ["service_lines", 0, "pointers"],
            [13],
            "service_lines[0].pointers[0]",
            OUT_OF_RANGE.format(low=1, high=12),
        ),
        (
            ["service_lines", 0, "pointers"],
            [1, 1],
            "service_lines[0].pointers[1]",
            REPEATED_POINTER.format(pointer=1),
        ),
        (
            ["service_lines", 0, "pointers"],
            ["1"],
            "service_lines[0].pointers[0]",
            MUST_BE_INTEGER,
        ),
        (
            ["service_lines", 0, "units"],
            0,
            "service_lines[0].units",
            OUT_OF_RANGE.format(low=1, high=9999),
        ),
        (["service_lines", 0, "units"], 1.5, "service_lines[0].units", MUST_BE_INTEGER),
        (
            ["service_lines", 0, "units"],
            True,
            "service_lines[0].units",
            MUST_BE_INTEGER,
        ),
        (
            ["service_lines"],
            [{"code": "99214"}] * 201,
            "service_lines",
            TOO_MANY_ITEMS.format(limit=200, noun="lines"),
        ),
        (["setting"], "clinic", "setting", BAD_SETTING),
        (["setting"], _DELETE, "setting", REQUIRED),
        (["date_of_service"], "14/03/2026", "date_of_service", BAD_DATE),
        (["date_of_service"], 20260314, "date_of_service", BAD_DATE),
        (["notes"], "free text", "notes", UNKNOWN_FIELD),
    ],
)
def test_parse_key_names_the_bad_field(path, value, field, message):
    with pytest.raises(SchemaError) as raised:
        parse_key(_with(path, value))
    assert (field, message) in raised.value.errors


@pytest.mark.parametrize(
    ("path", "raw", "words"),
    [
        (["diagnoses", 0, "code"], "E11.6ZZZZ", "is not a valid ICD-10-CM code"),
        (["service_lines", 0, "code"], "1234", "is not a CPT or HCPCS Level II code"),
        (["service_lines", 0, "modifiers"], ["250"], "is not a valid Modifier code"),
    ],
)
def test_key_codes_must_have_the_right_format(path, raw, words):
    with pytest.raises(SchemaError) as raised:
        parse_key(_with(path, raw))
    assert any(words in message for _, message in raised.value.errors)


def test_inpatient_principal_procedure_cannot_be_optional():
    document = {
        "setting": "inpatient",
        "date_of_service": "2026-03-14",
        "diagnoses": [{"code": "K35.80"}],
        "procedures": [{"code": "0DTJ4ZZ", "optional": True}],
    }
    with pytest.raises(SchemaError) as raised:
        parse_key(document)
    assert raised.value.errors == [
        ("procedures[0].optional", PRINCIPAL_NOT_OPTIONAL.format(what="procedure"))
    ]


def test_inpatient_keys_take_up_to_25_diagnoses():
    codes = [f"S72.00{digit}{letter}" for digit in range(10) for letter in "ABD"]
    lines = [{"code": code} for code in codes]
    key = parse_key(_with(["setting"], "inpatient", _with(["diagnoses"], lines[:25])))
    assert len(key.diagnoses) == 25
    with pytest.raises(SchemaError) as raised:
        parse_key(_with(["setting"], "inpatient", _with(["diagnoses"], lines[:26])))
    assert raised.value.errors == [
        ("diagnoses", TOO_MANY_DIAGNOSES.format(limit=25, setting="inpatient"))
    ]


def test_same_service_code_may_repeat_with_other_modifiers():
    lines = [
        {"code": "20610", "modifiers": ["RT"]},
        {"code": "20610", "modifiers": ["LT"]},
    ]
    key = parse_key(_with(["service_lines"], lines))
    assert [line.modifiers for line in key.service_lines] == [("RT",), ("LT",)]
    with pytest.raises(SchemaError):
        parse_key(_with(["service_lines"], [lines[0], lines[0]]))


def test_a_key_needs_a_required_line():
    with pytest.raises(SchemaError) as raised:
        parse_key(
            {
                "setting": "professional",
                "date_of_service": "2026-03-14",
                "service_lines": [{"code": "99214", "optional": True}],
            }
        )
    assert raised.value.errors == [("key", NO_REQUIRED_LINE)]


def test_every_problem_is_reported_at_once():
    document = _with(["setting"], "clinic", _with(["diagnoses", 1, "code"], 10))
    with pytest.raises(SchemaError) as raised:
        parse_key(document)
    assert raised.value.errors == [
        ("setting", BAD_SETTING),
        ("diagnoses[1].code", MUST_BE_STRING),
    ]
    assert str(raised.value) == (
        "setting: must be one of inpatient, outpatient, professional; "
        "diagnoses[1].code: must be a string"
    )


@pytest.mark.parametrize(
    ("data", "setting", "field", "message"),
    [
        ([], None, "response", MUST_BE_OBJECT),
        ({"setting": "outpatient"}, None, "setting", UNKNOWN_FIELD),
        (
            {"diagnoses": [{"code": "E11.65", "optional": True}]},
            None,
            "diagnoses[0].optional",
            UNKNOWN_FIELD,
        ),
        ({"diagnoses": [{"code": None}]}, None, "diagnoses[0].code", MUST_BE_STRING),
        (
            {"diagnoses": [{"code": "I10"}] * 13},
            "outpatient",
            "diagnoses",
            TOO_MANY_DIAGNOSES.format(limit=12, setting="outpatient"),
        ),
        (
            {"diagnoses": [{"code": "I10"}] * 26},
            None,
            "diagnoses",
            TOO_MANY_ITEMS.format(limit=25, noun="diagnoses"),
        ),
        (
            {"service_lines": [{"code": "99214", "pointers": [1]}]},
            None,
            "service_lines[0].pointers[0]",
            POINTER_PAST_END.format(pointer=1, count=0),
        ),
        (
            {"service_lines": [{"code": "99214", "modifiers": ["x" * 101]}]},
            None,
            "service_lines[0].modifiers[0]",
            TOO_LONG.format(limit=100),
        ),
        (
            {"procedures": [{"code": "0DTJ4ZZ", "units": 1}]},
            None,
            "procedures[0].units",
            UNKNOWN_FIELD,
        ),
    ],
)
def test_parse_response_names_the_bad_field(data, setting, field, message):
    with pytest.raises(SchemaError) as raised:
        parse_response(data, setting=setting)
    assert (field, message) in raised.value.errors


def test_responses_may_hold_codes_of_any_shape_for_grading_to_explain():
    response = parse_response({"diagnoses": [{"code": "not a code"}]})
    assert response.diagnoses == (GivenLine("not a code"),)


def test_answer_key_sections_are_frozen():
    key = parse_key(OUTPATIENT_KEY)
    assert isinstance(key, AnswerKey)
    with pytest.raises(AttributeError):
        key.setting = Setting.INPATIENT


def test_poa_indicators_and_key_weights_are_read_and_round_trip():
    data = copy.deepcopy(OUTPATIENT_KEY)
    data["setting"] = "inpatient"
    data["service_lines"] = []
    data["diagnoses"][0]["poa"] = "y"
    data["weights"] = {"modifier_payment": 1.0}
    key = parse_key(data)
    assert key.diagnoses[0].poa == "Y"
    assert key.weights == {"modifier_payment": 1.0}
    assert parse_key(key_to_dict(key)) == key
    response = parse_response({"diagnoses": [{"code": "M17.11", "poa": "W"}]})
    assert response.diagnoses[0].poa == "W"
    assert parse_response(response_to_dict(response)) == response


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"diagnoses": [{"code": "I10", "poa": "X"}]}, "diagnoses[0].poa", BAD_POA),
        ({"diagnoses": [{"code": "I10", "poa": 1}]}, "diagnoses[0].poa", BAD_POA),
        (
            {"procedures": [{"code": "0DTJ4ZZ", "poa": "Y"}]},
            "procedures[0].poa",
            UNKNOWN_FIELD,
        ),
    ],
)
def test_a_bad_poa_indicator_is_named(data, field, message):
    with pytest.raises(SchemaError) as raised:
        parse_response(data)
    assert raised.value.errors == [(field, message)]


def test_key_weights_must_be_rows_of_the_scoring_table():
    data = {**copy.deepcopy(OUTPATIENT_KEY), "weights": {"bonus": 1, "em_level": 2}}
    with pytest.raises(SchemaError) as raised:
        parse_key(data)
    assert raised.value.errors == [
        ("weights.bonus", UNKNOWN_ROW),
        ("weights.em_level", MUST_BE_FRACTION),
    ]
