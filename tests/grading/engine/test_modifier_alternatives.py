"""A key line may accept another set of modifiers, with the reason: the set is
graded as exact and explained; the key's own set and near misses grade as
before; the schema names each bad field."""

import pytest

from grading.engine import (
    LineStatus,
    SchemaError,
    key_to_dict,
    parse_key,
)
from grading.engine.schema import REASON_REQUIRED, SAME_AS_LINE_MODIFIERS

from .helpers import grade_with, key_data, make_key, make_response

# NCCI Policy Manual ch. I (X{EPSU} modifiers): some payers accept 59 where a
# more specific X modifier applies.
REASON = "The payer accepts 59 where XS applies."
LINE = {
    "code": "11042",
    "modifiers": ["XS"],
    "modifier_alternatives": [{"modifiers": ["59"], "reason": REASON}],
}


def _service_line(modifiers):
    return make_response(service_lines=[{"code": "11042", "modifiers": modifiers}])


def test_the_alternative_set_is_exact_and_says_why():
    result = grade_with(make_key(service_lines=[LINE]), _service_line(["59"]))
    (line,) = result.lines
    assert line.status is LineStatus.EXACT
    assert line.points == line.max_points
    assert line.explanations == (f"-59 accepted in place of -XS: {REASON}",)


def test_the_keys_own_set_is_exact_without_a_note():
    result = grade_with(make_key(service_lines=[LINE]), _service_line(["XS"]))
    assert result.lines[0].status is LineStatus.EXACT
    assert result.lines[0].explanations == ()


def test_a_missing_modifier_is_charged_once_against_the_keys_own_set():
    with_alternative = grade_with(make_key(service_lines=[LINE]), _service_line([]))
    without = grade_with(
        make_key(service_lines=[{"code": "11042", "modifiers": ["XS"]}]),
        _service_line([]),
    )
    assert with_alternative.points == without.points
    assert [d.message for d in with_alternative.lines[0].differences] == [
        "Modifier XS is missing."
    ]


def test_a_key_with_alternatives_round_trips():
    key = make_key(service_lines=[LINE])
    assert parse_key(key_to_dict(key)) == key
    assert key_to_dict(key)["service_lines"][0]["modifier_alternatives"] == [
        {"modifiers": ["59"], "reason": REASON}
    ]


@pytest.mark.parametrize(
    ("alternative", "path", "message"),
    [
        (
            {"modifiers": ["59"], "reason": " "},
            "service_lines[0].modifier_alternatives[0].reason",
            REASON_REQUIRED,
        ),
        (
            {"modifiers": ["XS"], "reason": REASON},
            "service_lines[0].modifier_alternatives[0].modifiers",
            SAME_AS_LINE_MODIFIERS,
        ),
    ],
)
def test_a_bad_alternative_is_named(alternative, path, message):
    data = key_data(
        service_lines=[{**LINE, "modifier_alternatives": [alternative]}],
    )
    with pytest.raises(SchemaError) as raised:
        parse_key(data)
    assert raised.value.errors == [(path, message)]


def test_a_response_cannot_carry_alternatives():
    with pytest.raises(SchemaError) as raised:
        make_response(service_lines=[LINE])
    assert raised.value.errors == [
        ("service_lines[0].modifier_alternatives", "unknown field")
    ]
