"""The grading rules, one table row per rule, under the practice policy unless a
row says otherwise. Statuses are listed in result order: each section's key lines,
then its unmatched given lines."""

import pytest

from grading.engine import (
    EXAM,
    DifferenceKind,
    FormatOnlyCodeBook,
    grade,
    policy_from_dict,
    result_to_dict,
)

from .helpers import HEADER_MESSAGE, grade_with, make_key, make_response

INPATIENT = "inpatient"
RT_LINE = {"code": "20610", "modifiers": ["RT"]}
LT_LINE = {"code": "20610", "modifiers": ["LT"]}


def case(key, response, points, statuses, policy=None, *, id):
    return pytest.param(key, response, points, statuses, policy, id=id)


CASES = [
    # Exact, with normalising of case, dots and spaces.
    case(
        {"diagnoses": ["E11.65", "I10"]},
        {"diagnoses": ["e1165 ", "I10"]},
        2.0,
        ["exact", "exact"],
        id="exact-after-normalising",
    ),
    # ICD-10-CM partial credit by structure.
    case(
        {"diagnoses": ["E11.65"]},
        {"diagnoses": ["E11.69"]},
        0.5,
        ["partial"],
        id="cm-same-subcategory",
    ),
    case(
        {"diagnoses": ["E11.65"]},
        {"diagnoses": ["E11.9"]},
        0.25,
        ["partial"],
        id="cm-same-category",
    ),
    case(
        {"diagnoses": ["S72.001A"]},
        {"diagnoses": ["S72.001D"]},
        0.5,
        ["partial"],
        id="cm-seventh-character",
    ),
    case(
        {"diagnoses": ["E11.65"]},
        {"diagnoses": ["I10"]},
        0.0,
        ["missing", "extra"],
        id="cm-other-category-is-no-match",
    ),
    case(
        {"diagnoses": ["I10", "E11.65", "E11.21"]},
        {"diagnoses": ["I10", "E11.69", "E11.65"]},
        2.25,
        ["exact", "exact", "partial"],
        id="fair-matching-beats-typed-order",
    ),
    # Alternatives and optional lines.
    case(
        {"diagnoses": [{"code": "E11.65", "alternatives": ["E11.649"]}]},
        {"diagnoses": ["E11.649"]},
        1.0,
        ["exact"],
        id="alternative-is-exact",
    ),
    case(
        {"diagnoses": ["I10", {"code": "Z79.4", "optional": True}]},
        {"diagnoses": ["I10"]},
        1.0,
        ["exact", "omitted"],
        id="optional-left-out",
    ),
    case(
        {"diagnoses": ["I10", {"code": "Z79.4", "optional": True}]},
        {"diagnoses": ["I10", "Z79.4"]},
        1.0,
        ["exact", "exact"],
        id="optional-listed-is-not-extra",
    ),
    # Invalid, extra and repeated lines.
    case(
        {"diagnoses": ["E11.65"]},
        {"diagnoses": ["E11.6"]},
        0.0,
        ["missing", "invalid"],
        id="header-is-invalid",
    ),
    case(
        {"diagnoses": ["E11.65"]},
        {"diagnoses": ["E11.65", "E11.99"]},
        0.5,
        ["exact", "invalid"],
        id="unknown-code-is-invalid",
    ),
    case(
        {"diagnoses": ["E11.65"]},
        {"diagnoses": ["E11.65", "not a code"]},
        0.5,
        ["exact", "invalid"],
        id="badly-formed-code-is-invalid",
    ),
    case(
        {"diagnoses": ["E11.65"]},
        {"diagnoses": ["E11.65", "J44.1", "J18.9"]},
        0.0,
        ["exact", "extra", "extra"],
        id="extras-cost-points-floored-at-zero",
    ),
    case(
        {"diagnoses": ["E11.65", "E11.69"]},
        {"diagnoses": ["E11.65", "E11.65"]},
        0.5,
        ["exact", "missing", "extra"],
        id="repeat-is-extra-not-a-near-miss",
    ),
    # Sequence: the principal or first-listed diagnosis comes first.
    case(
        {"diagnoses": ["K35.80", "I10"], "setting": INPATIENT},
        {"diagnoses": ["I10", "K35.80"]},
        2.0,
        ["partial", "exact"],
        id="principal-diagnosis-not-first",
    ),
    case(
        {"diagnoses": ["R07.9", "I10"]},
        {"diagnoses": ["I10", "R07.9"]},
        1.75,
        ["partial", "exact"],
        id="first-listed-diagnosis-not-first",
    ),
    case(
        {"diagnoses": ["R07.9", "I10", "J44.1"]},
        {"diagnoses": ["R07.9", "J44.1", "I10"]},
        3.0,
        ["exact"] * 3,
        id="secondary-order-is-free",
    ),
    # ICD-10-PCS.
    case(
        {"diagnoses": ["K35.80"], "procedures": ["0DTJ4ZZ"], "setting": INPATIENT},
        {"diagnoses": ["K35.80"], "procedures": ["0DTJ0ZZ"]},
        5.25,
        ["exact", "partial"],
        id="pcs-one-axis-wrong",
    ),
    case(
        {"diagnoses": ["K35.80"], "procedures": ["0DTJ4ZZ"], "setting": INPATIENT},
        {"diagnoses": ["K35.80"], "procedures": ["0DTJ0ZX"]},
        4.5,
        ["exact", "partial"],
        id="pcs-several-axes-wrong",
    ),
    case(
        {"diagnoses": ["K35.80"], "procedures": ["0DTJ4ZZ"], "setting": INPATIENT},
        {"diagnoses": ["K35.80"], "procedures": ["0DBJ4ZZ"]},
        4.2,
        ["exact", "partial"],
        id="pcs-other-root-operation-same-body-part-is-a-near-miss",
    ),
    case(
        {
            "diagnoses": ["M17.11"],
            "procedures": ["0SRC0J9", "5A1955Z"],
            "setting": INPATIENT,
        },
        {"diagnoses": ["M17.11"], "procedures": ["5A1955Z", "0SRC0J9"]},
        5.5,
        ["exact", "partial", "exact"],
        id="principal-procedure-not-first",
    ),
    case(
        {"diagnoses": ["M17.11"], "procedures": ["0SRC0J9", "5A1955Z"]},
        {"diagnoses": ["M17.11"], "procedures": ["5A1955Z", "0SRC0J9"]},
        3.0,
        ["exact"] * 3,
        id="outpatient-procedure-order-is-free",
    ),
    # CPT and HCPCS service lines.
    case(
        {"service_lines": [{"code": "99214", "modifiers": ["25", "59"]}]},
        {"service_lines": [{"code": "99214", "modifiers": ["59", "25"]}]},
        2.0,
        ["exact"],
        id="modifier-order-is-free",
    ),
    case(
        {"service_lines": [{"code": "99214", "modifiers": ["25"]}]},
        {"service_lines": ["99214"]},
        0.5,
        ["partial"],
        id="modifier-missing",
    ),
    case(
        {"service_lines": [{"code": "11042", "units": 2}]},
        {"service_lines": [{"code": "11042", "modifiers": ["59"], "units": 1}]},
        0.0,
        ["partial"],
        id="wrong-modifier-and-units",
    ),
    case(
        {"service_lines": [RT_LINE, LT_LINE]},
        {"service_lines": [LT_LINE, RT_LINE]},
        4.0,
        ["exact", "exact"],
        id="same-code-twice-matched-by-modifiers",
    ),
    case(
        {"service_lines": ["99213"]},
        {"service_lines": ["99214"]},
        1.5,
        ["partial"],
        id="em-one-level-off-is-a-near-miss",
    ),
    case(
        {"service_lines": [{"code": "90471", "alternatives": ["G0008"]}]},
        {"service_lines": ["G0008"]},
        2.0,
        ["exact"],
        id="hcpcs-alternative",
    ),
    case(
        {"service_lines": ["J1100"]},
        {"service_lines": ["J9999"]},
        0.0,
        ["missing", "invalid"],
        id="unknown-hcpcs-is-invalid",
    ),
    # Pointers are compared by the diagnoses they reach.
    case(
        {
            "diagnoses": ["M17.11", "I10"],
            "service_lines": [{"code": "20610", "pointers": [1]}],
        },
        {
            "diagnoses": ["M17.11", "I10"],
            "service_lines": [{"code": "20610", "pointers": [2]}],
        },
        3.5,
        ["exact", "exact", "partial"],
        id="pointer-to-the-wrong-diagnosis",
    ),
    case(
        {
            "diagnoses": ["R07.9", "M17.11", "I10"],
            "service_lines": [{"code": "20610", "pointers": [2]}],
        },
        {
            "diagnoses": ["R07.9", "I10", "M17.12"],
            "service_lines": [{"code": "20610", "pointers": [3]}],
        },
        4.5,
        ["exact", "partial", "exact", "exact"],
        id="pointer-follows-the-diagnosis-matching",
    ),
    case(
        {"diagnoses": ["M17.11"], "service_lines": ["20610"]},
        {
            "diagnoses": ["M17.11"],
            "service_lines": [{"code": "20610", "pointers": [1]}],
        },
        3.0,
        ["exact", "exact"],
        id="pointers-ungraded-when-key-has-none",
    ),
    # Policies.
    case(
        {"diagnoses": ["E11.65", "I10"]},
        {"diagnoses": ["E11.65", "I10"]},
        2.0,
        ["exact", "exact"],
        EXAM,
        id="exam-all-exact",
    ),
    case(
        {"diagnoses": ["E11.65", "I10"]},
        {"diagnoses": ["E11.69", "I10"]},
        0.0,
        ["partial", "exact"],
        EXAM,
        id="exam-one-partial-fails-the-item",
    ),
    case(
        {"diagnoses": ["E11.65"]},
        {"diagnoses": ["E11.65", "I10"]},
        0.0,
        ["exact", "extra"],
        EXAM,
        id="exam-extra-fails-the-item",
    ),
    case(
        {"diagnoses": ["E11.65", {"code": "Z79.4", "optional": True}]},
        {"diagnoses": ["E11.65"]},
        1.0,
        ["exact", "omitted"],
        EXAM,
        id="exam-optional-may-be-left-out",
    ),
    case(
        {"diagnoses": ["E11.65"]},
        {"diagnoses": ["E11.65", "I10", "J44.1", "J18.9"]},
        -0.5,
        ["exact", "extra", "extra", "extra"],
        policy_from_dict({"name": "no floor", "floor_at_zero": False}),
        id="without-floor-the-total-can-be-negative",
    ),
]


@pytest.mark.parametrize(("key", "response", "points", "statuses", "policy"), CASES)
def test_grading_rules(key, response, points, statuses, policy):
    result = grade_with(
        make_key(**key), make_response(**response), *filter(None, [policy])
    )
    assert [line.status.value for line in result.lines] == statuses
    assert result.points == pytest.approx(points)
    assert result.percentage == pytest.approx(
        100 * points / result.max_points, abs=0.01
    )


def _differences(result, kind):
    return [d for line in result.lines for d in line.differences if d.kind is kind]


def test_specificity_message_names_both_codes():
    result = grade_with(make_key(["E11.65"]), make_response(["E11.69"]))
    (difference,) = _differences(result, DifferenceKind.SPECIFICITY)
    assert difference.message == (
        "E11.69 is in the right subcategory (E11.6) but is not the right code: "
        "the key has E11.65."
    )
    assert (
        result.lines[0].message
        == "Partly correct: you gave E11.69; the key has E11.65."
    )


def test_seventh_character_is_named():
    result = grade_with(make_key(["S72.001A"]), make_response(["S72.001D"]))
    (difference,) = _differences(result, DifferenceKind.SEVENTH_CHARACTER)
    assert (difference.expected, difference.given) == ("A", "D")


def test_pcs_names_each_wrong_axis_with_both_values():
    key = make_key(["K35.80"], ["0DTJ4ZZ"], setting=INPATIENT)
    result = grade_with(key, make_response(["K35.80"], ["0DTJ0ZX"]))
    assert [d.message for d in _differences(result, DifferenceKind.AXIS)] == [
        "Character 5 (approach): expected 4, given 0.",
        "Character 7 (qualifier): expected Z, given X.",
    ]


def test_sequence_message_says_where_the_principal_was():
    key = make_key(["K35.80", "I10"], setting=INPATIENT)
    result = grade_with(key, make_response(["I10", "K35.80"]))
    (difference,) = _differences(result, DifferenceKind.SEQUENCE)
    assert difference.message == (
        "K35.80 is the principal diagnosis and must be listed first; "
        "you listed it in position 2."
    )


def test_invalid_code_carries_the_code_book_message():
    result = grade_with(make_key(["E11.65"]), make_response(["E11.6"]))
    invalid = result.lines[1]
    assert invalid.validator_message == HEADER_MESSAGE
    assert invalid.points == -0.5
    assert [(item.rule, item.points) for item in invalid.deductions] == [
        ("extra_line", 0.5)
    ]
    assert invalid.message == "Not a valid code: E11.6 earns no credit."


def test_common_error_explanation_on_a_near_miss_and_on_an_extra():
    explanation = "Hyperglycemia is documented, so the complication is coded."
    key = make_key(
        [
            {
                "code": "E11.65",
                "common_errors": [
                    {"code": "E11.9", "explanation": explanation},
                    {"code": "R73.9", "explanation": "Not with diabetes."},
                ],
            }
        ]
    )
    near_miss = grade(key, make_response(["E11.9"]), EXAM, FormatOnlyCodeBook())
    assert near_miss.lines[0].common_error == explanation
    extra = grade(key, make_response(["E11.65", "R73.9"]), EXAM, FormatOnlyCodeBook())
    assert extra.lines[1].status.value == "extra"
    assert extra.lines[1].common_error == "Not with diabetes."


def test_pointer_messages_use_the_diagnosis_codes():
    key = make_key(
        ["M17.11", "I10"], service_lines=[{"code": "20610", "pointers": [1]}]
    )
    response = make_response(
        ["M17.11", "I10", "J44.1"],
        service_lines=[{"code": "20610", "pointers": [2, 3]}],
    )
    messages = [
        d.message
        for d in _differences(grade_with(key, response), DifferenceKind.POINTER)
    ]
    assert messages == [
        "This line should also point to M17.11.",
        "Pointer 2 points to I10, which the key does not link to this service.",
        "Pointer 3 points to J44.1, which is not a diagnosis in the key "
        "(charged on that diagnosis).",
    ]


def test_modifier_and_units_messages():
    key = make_key(service_lines=[{"code": "11042", "modifiers": ["59"], "units": 2}])
    response = make_response(service_lines=[{"code": "11042", "modifiers": ["XS"]}])
    result = grade_with(key, response)
    assert [d.message for d in result.lines[0].differences] == [
        "Modifier 59 is missing.",
        "Modifier XS does not belong on this line.",
        "Units: the key has 2, you gave 1.",
    ]
    assert [item.rule for item in result.lines[0].deductions] == [
        "modifier_payment",
        "units_small",
    ]
    assert result.lines[0].points == 0.0


def test_alternative_is_reported_as_accepted():
    key = make_key([{"code": "E11.65", "alternatives": ["E11.649"]}])
    result = grade_with(key, make_response(["E11.649"]))
    assert result.lines[0].message == "Correct: E11.649 is accepted in place of E11.65."


def test_outdated_key_code_warns_and_does_not_fail_the_learner():
    key = make_key(["E11.65", "E11.99"])
    result = grade_with(key, make_response(["E11.65", "E11.99"]))
    assert result.percentage == 100
    assert result.key_warnings == (
        "diagnoses[1]: E11.99 is not in the ICD-10-CM release in force on 2026-03-14.",
    )


def test_precision_recall_and_f1_per_code_system():
    key = make_key(
        ["E11.65", "I10", {"code": "Z79.4", "alternatives": ["Z79.84"]}],
        service_lines=["99214", "93000"],
    )
    response = make_response(
        ["E11.65", "E11.9", "Z79.84", "J44.1", "E11.65"], service_lines=["99214"]
    )
    metrics = result_to_dict(grade_with(key, response))["metrics"]
    assert metrics["icd10cm"] == {
        "true_positives": 2,
        "false_positives": 2,
        "false_negatives": 1,
        "precision": 0.5,
        "recall": 0.6667,
        "f1": 0.5714,
    }
    assert metrics["cpt_hcpcs"]["precision"] == 1.0
    assert metrics["cpt_hcpcs"]["recall"] == 0.5
    assert "icd10pcs" not in metrics
    assert metrics["overall"]["true_positives"] == 3


def test_result_to_dict_is_json_ready():
    import json

    key = make_key(["E11.65"], service_lines=[{"code": "99214", "pointers": [1]}])
    result = grade_with(key, make_response(["E11.9", "E11.6"], service_lines=["99214"]))
    document = json.loads(json.dumps(result_to_dict(result)))
    assert document["counts"] == {
        "exact": 0,
        "partial": 2,
        "missing": 0,
        "omitted": 0,
        "extra": 0,
        "invalid": 1,
    }
    assert set(document["lines"][0]) == {
        "section",
        "status",
        "points",
        "max_points",
        "message",
        "expected_index",
        "expected_code",
        "given_index",
        "given_code",
        "differences",
        "validator_message",
        "common_error",
        "rationale",
        "reference",
        "deductions",
        "explanations",
        "cc_mcc",
    }
    assert document["policy"] == "practice"
    assert set(document) >= {"adjustments", "summary"}


def test_a_missing_link_to_a_near_miss_costs_no_more_than_the_near_miss_earned():
    key = make_key(["E11.65"], service_lines=[{"code": "99214", "pointers": [1]}])
    unlinked_visit = {"code": "99214"}
    left_out = grade_with(key, make_response(service_lines=[unlinked_visit]))
    near_miss = grade_with(
        key, make_response(["E11.9"], service_lines=[unlinked_visit])
    )
    diagnosis, visit = near_miss.lines
    assert 0 < diagnosis.points < diagnosis.max_points
    [link] = visit.deductions
    assert link.rule == "pointer"
    assert visit.max_points - visit.points == pytest.approx(diagnosis.points)
    assert near_miss.points >= left_out.points


def test_an_em_level_is_charged_from_the_nearest_accepted_level():
    key = make_key(service_lines=[{"code": "99215", "alternatives": ["99214"]}])
    result = grade_with(key, make_response(service_lines=["99213"]))
    [line] = result.lines
    assert [item.rule for item in line.deductions] == ["em_level"]
    assert (
        line.differences[0].message == "E/M level: the key has 99214, you gave 99213."
    )
    one_level_low = grade_with(
        make_key(service_lines=["99214"]), make_response(service_lines=["99213"])
    )
    assert line.points == one_level_low.lines[0].points


def test_a_combination_part_earns_credit_against_an_alternative():
    hypertension_first = {"code": "J44.1", "alternatives": ["I11.9"]}
    key = make_key([hypertension_first], setting="inpatient")
    [line] = grade_with(key, make_response(["I10"])).lines
    assert 0 < line.points < line.max_points
    assert line.differences[0].message.startswith(
        "I10 is part of the combination I11.9"
    )
