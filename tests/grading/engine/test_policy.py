import pytest

from grading.engine import (
    EXAM,
    POLICIES,
    PRACTICE,
    SCORING_TABLE,
    STRICT,
    SchemaError,
    ScoringPolicy,
    Setting,
    policy_from_dict,
    policy_to_dict,
)
from grading.engine.policy import (
    CLOSER_EARNS_MORE,
    MUST_BE_FRACTION,
    MUST_BE_NUMBER,
    MUST_BE_POSITIVE,
    MUST_NOT_BE_NEGATIVE,
    UNKNOWN_ROW,
)
from grading.engine.schema import (
    MUST_BE_BOOLEAN,
    MUST_BE_OBJECT,
    MUST_NOT_BE_EMPTY,
    REQUIRED,
    UNKNOWN_FIELD,
)


def test_registry_holds_the_shipped_policies():
    assert POLICIES == {"practice": PRACTICE, "exam": EXAM, "strict": STRICT}
    assert not PRACTICE.all_or_nothing
    assert PRACTICE.extra_line_penalty > 0
    assert PRACTICE.floor_at_zero
    assert EXAM.all_or_nothing


@pytest.mark.parametrize("policy", [PRACTICE, EXAM, STRICT])
def test_policies_round_trip(policy):
    assert policy_from_dict(policy_to_dict(policy)) == policy


def test_left_out_fields_take_practice_values():
    strict = policy_from_dict({"name": "strict practice", "extra_line_penalty": 1})
    assert strict.extra_line_penalty == 1
    assert strict.icd10cm_same_subcategory == PRACTICE.icd10cm_same_subcategory


def test_the_table_holds_every_row_with_a_reason_and_a_reference():
    for row in SCORING_TABLE.values():
        assert row.why and row.reference
        assert set(row.values) == set(Setting)


def test_legacy_fields_at_their_defaults_leave_the_table_as_it_is():
    for setting in Setting:
        assert PRACTICE.table(setting) == {
            name: row.values[setting] or 0.0 for name, row in SCORING_TABLE.items()
        }


def test_a_changed_legacy_field_a_policy_cost_and_a_key_weight_each_set_a_row():
    changed = policy_from_dict(
        {"name": "x", "modifier_deduction": 0.5, "costs": {"em_level": 0.3}}
    )
    table = changed.table(Setting.PROFESSIONAL, {"em_level": 0.2})
    assert table["modifier_informational"] == 0.5
    assert table["em_level"] == 0.2
    assert changed.table(Setting.PROFESSIONAL)["em_level"] == 0.3


@pytest.mark.parametrize(
    ("costs", "message"),
    [
        ({"bonus": 1}, UNKNOWN_ROW),
        ({"em_level": 2}, MUST_BE_FRACTION),
        ({"weight_service_line": 0}, MUST_BE_POSITIVE),
        ({"extra_line": -1}, MUST_NOT_BE_NEGATIVE),
        ({"extra_line": "a"}, MUST_BE_NUMBER),
    ],
)
def test_bad_costs_name_the_row(costs, message):
    with pytest.raises(SchemaError) as raised:
        policy_from_dict({"name": "x", "costs": costs})
    assert raised.value.errors == [(f"costs.{next(iter(costs))}", message)]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "name", REQUIRED),
        ({"name": " "}, "name", MUST_NOT_BE_EMPTY),
        ({"name": "x", "bonus": 1}, "bonus", UNKNOWN_FIELD),
        ({"name": "x", "points_per_line": 0}, "points_per_line", MUST_BE_POSITIVE),
        ({"name": "x", "points_per_line": True}, "points_per_line", MUST_BE_NUMBER),
        ({"name": "x", "units_deduction": 1.5}, "units_deduction", MUST_BE_FRACTION),
        (
            {"name": "x", "sequence_deduction": "a"},
            "sequence_deduction",
            MUST_BE_NUMBER,
        ),
        (
            {"name": "x", "extra_line_penalty": -1},
            "extra_line_penalty",
            MUST_NOT_BE_NEGATIVE,
        ),
        ({"name": "x", "all_or_nothing": "yes"}, "all_or_nothing", MUST_BE_BOOLEAN),
        (
            {"name": "x", "icd10cm_same_category": 0.75},
            "icd10cm_same_category",
            CLOSER_EARNS_MORE.format(closer="icd10cm_same_subcategory"),
        ),
        (
            {"name": "x", "pcs_one_axis_wrong": 0.05},
            "pcs_several_axes_wrong",
            CLOSER_EARNS_MORE.format(closer="pcs_one_axis_wrong"),
        ),
    ],
)
def test_bad_policies_name_the_field(data, field, message):
    with pytest.raises(SchemaError) as raised:
        policy_from_dict(data)
    assert (field, message) in raised.value.errors


def test_policy_must_be_an_object():
    with pytest.raises(SchemaError) as raised:
        policy_from_dict(["practice"])
    assert raised.value.errors == [("policy", MUST_BE_OBJECT)]


def test_policies_built_in_code_are_checked_too():
    with pytest.raises(SchemaError):
        ScoringPolicy(name="broken", modifier_deduction=2)
