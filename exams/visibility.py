"""What an exam lets a learner see of graded answers, told to the grading ledger's
one visibility rule (`grading.visibility`, registered in ExamsConfig.ready()).

Two things withhold feedback: the review policy (the same `review_visible` the
results page uses: the blueprint's, or a stricter one registered in
`exams.review_policies`), and an attempt in progress: while a learner sits an
exam, nothing it tests (its questions, the cases its coding items are built on)
shows its key anywhere, including the review of another exam that shares the
question.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from exams.models import Attempt, AttemptItem, ReviewPolicy
from exams.review_policies import review_policy_for
from exams.selectors import ledger_ref_prefix, review_visible
from grading.visibility import Withholding

REVIEW_AFTER_CLOSE = (
    "Answers and feedback for {exam} are shown once the exam closes ({closes})."
)
REVIEW_NEVER = "{exam} shows your score only, not answers or feedback."
REVIEW_NOT_YET = "Answers and feedback for {exam} are shown once it is graded."
TESTED_NOW = (
    "Hidden while you are sitting an exam that tests this question: it shows "
    "again when you finish the exam."
)
CASE_TESTED_NOW = (
    "This case is part of an exam you are sitting, so it cannot be practised "
    "and its feedback is hidden until you finish the exam."
)


@dataclass(frozen=True)
class UnderExam:
    """What the learner's exams in progress test right now."""

    question_ids: frozenset[int]
    case_slugs: frozenset[str]


def items_in_progress(learner) -> QuerySet[AttemptItem]:
    return AttemptItem.objects.filter(
        attempt__learner=learner, attempt__status=Attempt.Status.IN_PROGRESS
    )


def under_exam(learner) -> UnderExam:
    """The questions and case slugs of the learner's attempts in progress (one
    query)."""
    rows = items_in_progress(learner).values_list("question_id", "question__case_slug")
    return UnderExam(
        question_ids=frozenset(question_id for question_id, _ in rows),
        case_slugs=frozenset(slug for _, slug in rows if slug),
    )


def _closes(closes_at) -> str:
    if closes_at is None:
        return "no close date is set yet"
    return timezone.localtime(closes_at).strftime("%Y-%m-%d %H:%M %Z")


def _review_reason(attempt: Attempt) -> str:
    blueprint = attempt.blueprint
    if attempt.status != Attempt.Status.GRADED:
        return REVIEW_NOT_YET.format(exam=blueprint.name)
    review = review_policy_for(learner=attempt.learner, blueprint=blueprint)
    if review.policy == ReviewPolicy.AFTER_CLOSE:
        closes = _closes(review.closes_at)
        return REVIEW_AFTER_CLOSE.format(exam=blueprint.name, closes=closes)
    return REVIEW_NEVER.format(exam=blueprint.name)


def exam_items_withheld(learner) -> list[Withholding]:
    """The learner's exam-item ledger rows whose review is not open, and those of
    questions an exam in progress is testing."""
    attempts = (
        Attempt.objects.filter(learner=learner)
        .exclude(status=Attempt.Status.IN_PROGRESS)
        .select_related("blueprint", "learner")
    )
    held = [
        Withholding(
            Q(attempt_ref__startswith=ledger_ref_prefix(attempt.pk)),
            _review_reason(attempt),
        )
        for attempt in attempts
        if not review_visible(attempt)
    ]
    # A subquery, so a list of rows costs the same few queries however long.
    tested = items_in_progress(learner).values(
        question_ref=Cast("question_id", output_field=CharField())
    )
    held.append(Withholding(Q(item_id__in=tested), TESTED_NOW))
    return held
