from dataclasses import replace

import pytest

from grading.engine import EXAM, PRACTICE, ChoiceResult, grade_choice, policy_from_dict


@pytest.mark.parametrize(
    ("correct", "chosen", "policy", "expected"),
    [
        (["b"], ["b"], PRACTICE, ChoiceResult(1.0, 1.0, True)),
        (["b"], ["c"], PRACTICE, ChoiceResult(0.0, 1.0, False, ("b",), ("c",))),
        (["b"], [], EXAM, ChoiceResult(0.0, 1.0, False, ("b",))),
        (["a", "c"], ["a", "c"], EXAM, ChoiceResult(1.0, 1.0, True)),
        (["a", "c"], ["a"], EXAM, ChoiceResult(0.0, 1.0, False, ("c",))),
        (["a", "c"], ["a"], PRACTICE, ChoiceResult(0.5, 1.0, False, ("c",))),
        (
            ["a", "c"],
            ["a", "d"],
            PRACTICE,
            ChoiceResult(0.0, 1.0, False, ("c",), ("d",)),
        ),
        (
            ["a", "c"],
            ["b", "d"],
            PRACTICE,
            ChoiceResult(0.0, 1.0, False, ("a", "c"), ("b", "d")),
        ),
        (["a", "c"], ["c", "a", "a"], PRACTICE, ChoiceResult(1.0, 1.0, True)),
    ],
)
def test_grade_choice(correct, chosen, policy, expected):
    assert grade_choice(correct, chosen, policy) == replace(
        expected, policy=policy.name
    )


def test_without_floor_wrong_choices_can_cost_points():
    policy = policy_from_dict(
        {
            "name": "negative marking",
            "floor_at_zero": False,
            "points_per_choice_item": 2,
        }
    )
    assert grade_choice(["a", "c"], ["b", "d"], policy).points == -2.0


def test_an_item_needs_a_correct_option():
    with pytest.raises(ValueError):
        grade_choice([], ["a"], PRACTICE)
