"""Regrading an exam question's graded answers once a changed key is published.

A question's key is its options' correct flags (single and multiple choice) or its
key JSON (coding items). A publish whose key differs from the previously published
revision's queues `question_regrade` after commit: every graded attempt item of
the question is graded again with the live key, through the grading of an attempt
(`services.attempt_item_grade`), so the ledger keeps each earlier grading as a
`GradedResponseRegrade` naming the publisher and the change; each attempt whose
item changed gets its score recomputed (`services.attempt_score`). An answer
graded again with the same key scores the same, so running it twice changes
nothing the second time.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from case_studies.services import describe_key_changes
from core.audit import revision_published_before, revision_publisher_id
from core.tasks import enqueue
from exams.models import Attempt, AttemptItem, Question, QuestionKind
from exams.selectors import (
    attempt_id_of_ledger_ref,
    ledger_ref_prefix,
    review_visible,
    score_visible,
)
from exams.services import attempt_item_grade, attempt_score
from exams.tasks import question_regrade_task
from grading.items import ItemRef
from grading.models import GradedResponse
from grading.signals import responses_regraded
from readiness.receivers import readiness_updates_batched
from readiness.services import mock_prediction_score_refresh

REGRADE_REASON = "Answer key changed on {date}: {summary}"
CORRECT_OPTIONS_CHANGED = "{slug}: correct options {old} → {new}."
SCORE_CHANGED_SUBJECT = "Your score on {exam} changed"
SCORE_CHANGED = "Your score on {exam} (attempt {number}) changed from {old} to {new}."
NOW_PASSED = "You now pass."
NO_LONGER_PASSED = "You no longer pass."
QUESTION_REGRADED = "Question {slug} was regraded. {reason}"
SCORE_NOT_SHOWN_YET = (
    "Your attempt {number} at {exam} was regraded after an answer key changed: "
    "its score shows with the exam's results."
)


def question_key(content: dict) -> list[str] | dict:
    """What grades answers to a question, from its serialised content (a
    revision's, or the live row's `serializable_data()`): the correct option ids
    of a choice question, the key JSON of a coding item."""
    if content["kind"] == QuestionKind.CODING:
        return content.get("key") or {}
    options = content.get("options") or []
    return sorted(option["option_id"] for option in options if option["correct"])


def key_change_summary(*, slug: str, kind: str, previous, key) -> str:
    if kind == QuestionKind.CODING:
        return f"{slug}: " + " ".join(describe_key_changes(previous, key))
    return CORRECT_OPTIONS_CHANGED.format(
        slug=slug, old=", ".join(previous) or "none", new=", ".join(key) or "none"
    )


def question_regrade_queue(*, question: Question, revision) -> None:
    """Queue the regrade of `question`'s graded answers after commit when
    publishing `revision` changed its key (a first publish has none to regrade)."""
    previous_revision = revision_published_before(question, revision)
    if previous_revision is None:
        return
    previous = question_key(previous_revision.content)
    key = question_key(revision.content)
    if previous == key:
        return
    summary = key_change_summary(
        slug=question.slug, kind=question.kind, previous=previous, key=key
    )
    reason = REGRADE_REASON.format(
        date=timezone.localdate().isoformat(), summary=summary
    )
    transaction.on_commit(
        lambda: enqueue(question_regrade_task, question.pk, revision.pk, reason)
    )


def question_regrade(*, question_id: int, revision_id: int, reason: str) -> list[int]:
    """Grade every graded attempt item of the question again with its live key,
    recorded as done by whoever published `revision_id` (the approver of its
    review) for `reason`, and recompute the score of each attempt whose item
    scored differently (and its mock-exam prediction record).
    Returns the ids of the ledger rows whose points or result changed;
    `responses_regraded` names them once the regrade commits (sent even when there
    are none: an upheld dispute waits for it), and readiness is queued once per
    learner."""
    question = Question.objects.get(pk=question_id)
    revision = Revision.objects.filter(pk=revision_id).first()
    publisher_id = revision_publisher_id(question, revision)
    regraded_by = get_user_model().objects.filter(pk=publisher_id).first()
    changed_rows: list[int] = []
    with readiness_updates_batched(), transaction.atomic():
        items = list(
            AttemptItem.objects.select_for_update(of=("self",))
            .filter(question_id=question_id, attempt__status=Attempt.Status.GRADED)
            .select_related("attempt__blueprint", "attempt__learner", "question")
            .prefetch_related("question__options", "question__domains")
            .order_by("pk")
        )
        regraded_items, rescored_items = [], []
        for item in items:
            before = (item.points, item.max_points, item.result)
            row = attempt_item_grade(
                attempt=item.attempt,
                item=item,
                regraded_by=regraded_by,
                regrade_reason=reason,
            )
            if (item.points, item.max_points, item.result) != before:
                regraded_items.append(item)
                if row is not None:
                    changed_rows.append(row.pk)
            if (item.points, item.max_points) != before[:2]:
                rescored_items.append(item)
        AttemptItem.objects.bulk_update(
            regraded_items, ["points", "max_points", "result"]
        )
        for attempt in {item.attempt for item in rescored_items}:
            _attempt_rescore(attempt)
        transaction.on_commit(
            lambda: responses_regraded.send(
                sender=Question,
                item=ItemRef.exam_question(question_id),
                graded_response_ids=changed_rows,
                reason=reason,
            )
        )
    return changed_rows


def _attempt_items(attempt: Attempt) -> list[AttemptItem]:
    return list(
        attempt.items.select_related("question").prefetch_related("question__domains")
    )


def _attempt_rescore(attempt: Attempt) -> None:
    score = attempt_score(blueprint=attempt.blueprint, items=_attempt_items(attempt))
    Attempt.objects.filter(pk=attempt.pk).update(**score)
    for name, value in score.items():
        setattr(attempt, name, value)
    mock_prediction_score_refresh(attempt=attempt)


def _percent(value: float) -> str:
    return f"{value:g}%"


def _notice_line(attempt: Attempt, before: dict, slug: str, reason: str) -> str:
    exam, number = attempt.blueprint.name, attempt.number
    if not score_visible(attempt):
        return SCORE_NOT_SHOWN_YET.format(exam=exam, number=number)
    words = [
        SCORE_CHANGED.format(
            exam=exam,
            number=number,
            old=_percent(before["percent"]),
            new=_percent(attempt.percent),
        )
    ]
    if before["passed"] != attempt.passed:
        words.append(NOW_PASSED if attempt.passed else NO_LONGER_PASSED)
    if review_visible(attempt):
        words.append(QUESTION_REGRADED.format(slug=slug, reason=reason))
    return " ".join(words)


def regrade_notices(*, graded_response_ids: list[int], reason: str) -> list[dict]:
    """What to tell each learner whose exam score changed in a regrade: one
    notice per learner (the keyword arguments of a notification), a line per
    attempt whose score changed, with the score before and after and whether it
    now passes. As much as the exam shows them: no score while scores are
    withheld, and the question and key change only where its review is open."""
    previous: dict[int, dict[int, tuple[float, float]]] = defaultdict(dict)
    slug = ""
    for row in GradedResponse.objects.filter(
        pk__in=graded_response_ids, source=GradedResponse.Source.EXAM_ITEM
    ).prefetch_related("regrades"):
        attempt_id = attempt_id_of_ledger_ref(row.attempt_ref)
        regrades = list(row.regrades.all())
        if attempt_id is None or not regrades:
            continue
        item_id = int(row.attempt_ref.removeprefix(ledger_ref_prefix(attempt_id)))
        earlier = regrades[-1].previous
        previous[attempt_id][item_id] = (earlier["points"], earlier["max_points"])
        slug = row.item_title
    lines_by_learner = defaultdict(list)
    for attempt in Attempt.objects.filter(pk__in=previous).select_related(
        "blueprint", "learner"
    ):
        items = _attempt_items(attempt)
        for item in items:
            if item.pk in previous[attempt.pk]:
                item.points, item.max_points = previous[attempt.pk][item.pk]
        before = attempt_score(blueprint=attempt.blueprint, items=items)
        if before["percent"] == attempt.percent:
            continue
        lines_by_learner[attempt.learner].append(
            (attempt, _notice_line(attempt, before, slug, reason))
        )
    return [
        {
            "user": learner,
            "subject": SCORE_CHANGED_SUBJECT.format(exam=lines[0][0].blueprint.name),
            "body": "\n\n".join(line for _, line in lines),
            "url": reverse("exams:results", args=[lines[-1][0].pk]),
        }
        for learner, lines in lines_by_learner.items()
    ]
