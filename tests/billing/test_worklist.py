"""Denial worklist grading, appeal letter structure and rubric, scrubber
predictions."""

import pytest

from billing.engine.remittance import Denial, DenialAction, DenialCategory
from billing.engine.worklist import (
    ACTION_ABSENT,
    APPEAL_ELEMENTS,
    DEFAULT_RUBRIC,
    ELEMENT_PRESENT,
    NOT_A_CHOICE,
    PREDICTION_CLEAN,
    PREDICTION_FALSE_ALARM,
    SCORE_OUT_OF_RANGE,
    UNKNOWN_RUBRIC_ITEM,
    ElementId,
    PredictionOutcome,
    appeal_structure,
    grade_denial_work,
    grade_prediction,
    rubric_score,
)

NECESSITY = Denial(
    rule="medical_necessity",
    category=DenialCategory.MEDICAL_NECESSITY,
    action=DenialAction.APPEAL,
    explanation="The record documents the covered diagnosis the LCD lists; appeal "
    "with the office note.",
)
LETTER = """Re: patient control number PCN-20260302-01, payer claim 2026061000123

The line for 20610 was denied with CO-50. The office note of 2 March documents
primary osteoarthritis of the right knee, a diagnosis the coverage policy
DEMO-L001 lists as covered. We ask that you reprocess the claim and pay the line.
"""
CLAIM_NUMBERS = ("PCN-20260302-01", "2026061000123")


def structure(letter, carc="50", policy_ids=("DEMO-L001",)):
    checks = appeal_structure(
        letter, claim_numbers=CLAIM_NUMBERS, carc=carc, policy_ids=policy_ids
    )
    return {check.element: check for check in checks}


# -- the worklist ------------------------------------------------------------
def test_right_category_and_action_earn_two_points():
    grade = grade_denial_work(NECESSITY, category="medical_necessity", action="appeal")
    assert (grade.points, grade.max_points) == (2, 2)


def test_right_category_wrong_action_is_explained_from_the_denial():
    grade = grade_denial_work(
        NECESSITY, category="medical_necessity", action="write_off"
    )
    assert grade.points == 1
    assert grade.category.points == 1
    assert NECESSITY.explanation in grade.action.explanation
    assert "write the amount off" in grade.action.explanation


def test_wrong_category_says_why_with_the_carcs():
    grade = grade_denial_work(NECESSITY, category="coding", action="appeal")
    assert (grade.category.points, grade.action.points) == (0, 1)
    assert "CARC 50" in grade.category.explanation
    assert grade.category.explanation.startswith(
        "This is a medical necessity denial, not coding"
    )


def test_wrong_category_and_action_earn_nothing_and_do_not_leak_the_explanation():
    grade = grade_denial_work(NECESSITY, category="duplicate", action="bill_patient")
    assert grade.points == 0
    assert NECESSITY.explanation not in grade.action.explanation


def test_choices_are_read_in_any_case_and_nonsense_is_not_a_choice():
    grade = grade_denial_work(NECESSITY, category=" Medical_Necessity ", action="??")
    assert grade.category.points == 1
    assert NOT_A_CHOICE in grade.action.explanation
    assert grade.as_dict()["items"][1]["given"] == "??"


# -- appeal structure --------------------------------------------------------
def test_complete_letter_has_every_element():
    checks = structure(LETTER)
    assert list(checks) == [element.id for element in APPEAL_ELEMENTS]
    assert all(check.present for check in checks.values())
    label = checks[ElementId.ARGUMENT].label
    assert checks[ElementId.ARGUMENT].message == ELEMENT_PRESENT.format(label=label)


def test_claim_identifiers_absent():
    letter = LETTER.replace("PCN-20260302-01", "our claim").replace("2026061000123", "")
    check = structure(letter)[ElementId.CLAIM_IDENTIFIERS]
    assert not check.present
    assert "PCN-20260302-01" in check.message


def test_claim_identifier_found_without_its_dashes_or_by_payer_number():
    letter = LETTER.replace("PCN-20260302-01", "PCN 2026030201")
    assert structure(letter)[ElementId.CLAIM_IDENTIFIERS].present
    only_payer = LETTER.replace("PCN-20260302-01", "")
    assert structure(only_payer)[ElementId.CLAIM_IDENTIFIERS].present


@pytest.mark.parametrize(
    "quote", ["CARC 50", "CO-50", "co 50", "reason code 50", "not medically necessary"]
)
def test_denial_reason_quoted_by_code_or_words(quote):
    letter = LETTER.replace("CO-50", quote)
    assert structure(letter)[ElementId.DENIAL_REASON].present


def test_denial_reason_absent_when_only_another_code_or_a_number_appears():
    letter = LETTER.replace("CO-50", "CO-97 on 50 units")
    check = structure(letter)[ElementId.DENIAL_REASON]
    assert not check.present
    assert "CO-50" in check.message


def test_argument_needs_the_documentation():
    letter = LETTER.replace("The office note of 2 March documents", "We believe")
    check = structure(letter)[ElementId.ARGUMENT]
    assert not check.present
    assert "the documentation" in check.message
    assert "the policy" not in check.message.split("(")[0]


def test_argument_needs_the_policy():
    letter = LETTER.replace("the coverage policy\nDEMO-L001 lists as covered", "is")
    check = structure(letter)[ElementId.ARGUMENT]
    assert not check.present
    assert "cite the policy (" in check.message
    assert "DEMO-L001" in check.message


def test_argument_accepts_lcd_by_name():
    letter = LETTER.replace("the coverage policy\nDEMO-L001", "the LCD")
    assert structure(letter, policy_ids=())[ElementId.ARGUMENT].present


def test_requested_action_absent():
    letter = LETTER.replace("We ask that you reprocess the claim and pay the line.", "")
    check = structure(letter)[ElementId.REQUESTED_ACTION]
    assert not check.present
    assert check.message == ACTION_ABSENT


@pytest.mark.parametrize(
    "request_", ["Please reconsider.", "We request reconsideration.", "Overturn it."]
)
def test_requested_action_words(request_):
    letter = LETTER.replace("We ask that you reprocess the claim and pay the line.", "")
    assert structure(letter + request_)[ElementId.REQUESTED_ACTION].present


# -- the rubric --------------------------------------------------------------
def test_rubric_adds_instructor_scores_to_the_structure_points():
    checks = tuple(structure(LETTER.replace("CO-50", "the denial")).values())
    grade = rubric_score(checks, {"accuracy": 3, "documentation_fit": 2, "tone": 1})
    assert grade.structure_points == 3
    assert (grade.points, grade.max_points) == (9, 12)
    assert grade.complete


def test_rubric_not_yet_scored_is_incomplete():
    grade = rubric_score(tuple(structure(LETTER).values()), {"accuracy": 2})
    assert not grade.complete
    assert grade.points == 6
    assert [item.scored for item in grade.items] == [True, False, False]
    assert grade.as_dict()["structure"][0]["element"] == "claim_identifiers"


def test_rubric_refuses_unknown_items_and_scores_out_of_range():
    checks = tuple(structure(LETTER).values())
    with pytest.raises(ValueError, match=UNKNOWN_RUBRIC_ITEM.format(item="style")):
        rubric_score(checks, {"style": 1})
    most = DEFAULT_RUBRIC.items[2].max_points
    message = SCORE_OUT_OF_RANGE.format(item="tone", score=5, most=most)
    with pytest.raises(ValueError, match=message):
        rubric_score(checks, {"tone": 5})


# -- scrubber predictions ----------------------------------------------------
def test_prediction_all_found_earns_the_item():
    grade = grade_prediction({"ncci_ptp", "pointer_none"}, {"pointer_none", "ncci_ptp"})
    assert grade.points == grade.max_points == 1
    assert {item.outcome for item in grade.items} == {PredictionOutcome.HIT}


def test_prediction_miss_and_false_alarm_are_shares_floored_at_zero():
    grade = grade_prediction(
        {"ncci_ptp", "pointer_none"},
        {"ncci_ptp", "mue"},
        messages={"mue": "Units above the MUE."},
    )
    assert grade.points == 0
    outcomes = {item.edit_id: item.outcome for item in grade.items}
    assert outcomes == {
        "mue": PredictionOutcome.FALSE_ALARM,
        "ncci_ptp": PredictionOutcome.HIT,
        "pointer_none": PredictionOutcome.MISS,
    }
    alarm = grade.items[0]
    assert alarm.explanation == (
        f"{PREDICTION_FALSE_ALARM.format(edit='mue')} Units above the MUE."
    )
    half = grade_prediction({"ncci_ptp", "pointer_none"}, {"ncci_ptp"})
    assert half.points == 0.5
    floored = grade_prediction({"ncci_ptp"}, {"mue", "age", "sex"})
    assert floored.points == 0


def test_prediction_of_a_clean_claim():
    clean = grade_prediction(set(), set())
    assert clean.points == 1
    assert clean.summary == PREDICTION_CLEAN
    assert grade_prediction(set(), {"mue"}).points == 0


@pytest.mark.parametrize("action", list(DenialAction))
def test_every_fix_a_learner_can_choose_is_explained(action):
    denial = Denial(
        rule="duplicate",
        category=DenialCategory.DUPLICATE,
        action=DenialAction.NO_ACTION,
        explanation="The original claim stands.",
    )
    grade = grade_denial_work(denial, category="duplicate", action=action.value)
    assert grade.action.explanation
    assert grade.action.points == (action == DenialAction.NO_ACTION)
