"""Multiple-choice items: single best answer and multiple response."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from grading.engine.policy import ScoringPolicy

NO_CORRECT_OPTION = "a multiple-choice item needs at least one correct option"


@dataclass(frozen=True)
class ChoiceResult:
    points: float
    max_points: float
    correct: bool
    missed: tuple[str, ...] = ()
    wrong: tuple[str, ...] = ()
    policy: str = ""


def grade_choice(
    correct_option_ids: Collection[str],
    chosen_option_ids: Collection[str],
    policy: ScoringPolicy,
) -> ChoiceResult:
    """Grade a multiple-choice answer.

    All or nothing under an all-or-nothing policy; otherwise each correct choice
    earns its share of the item and each wrong choice takes a share away (floored
    at 0 when the policy floors). `missed` and `wrong` are sorted option ids.
    """
    correct = frozenset(correct_option_ids)
    if not correct:
        raise ValueError(NO_CORRECT_OPTION)
    chosen = frozenset(chosen_option_ids)
    missed = tuple(sorted(correct - chosen))
    wrong = tuple(sorted(chosen - correct))
    is_correct = not missed and not wrong
    max_points = policy.points_per_choice_item
    if policy.all_or_nothing:
        points = max_points if is_correct else 0.0
    else:
        share = (len(correct & chosen) - len(wrong)) / len(correct)
        points = max_points * (max(0.0, share) if policy.floor_at_zero else share)
    return ChoiceResult(
        round(points, 4), max_points, is_correct, missed, wrong, policy.name
    )
