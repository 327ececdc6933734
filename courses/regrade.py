"""Regrading a lesson's knowledge checks once a changed key is published.

A check's key is its options' correct flags (a multiple-choice check) or its key
JSON (a code-entry check). A publish whose checks grade differently from the
previously published revision's queues `lesson_regrade` after commit: every
ledger answer to a changed check is graded again from the answer the ledger
stored (each learner's first try), through the grading of a submission
(`services.check_answer_grade` and `check_answer_record`), and each learner's
`CheckResult` follows: its recorded score from the first try, whether it is
passed from the first and the last answer, and the last answer's feedback. A
completed lesson stays completed. Grading the same answer with the same key
scores the same, so a second run changes nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision

from case_studies.services import describe_key_changes
from core.audit import revision_published_before, revision_publisher_id
from core.tasks import enqueue
from courses.answers import AnswerError
from courses.models import CheckResult, LessonPage
from courses.services import check_answer_grade, check_answer_record
from courses.tasks import lesson_regrade_task
from grading.items import ItemRef
from grading.models import GradedResponse
from grading.signals import responses_regraded

REGRADE_REASON = "Answer key changed on {date}: {summary}"
CORRECT_OPTIONS_CHANGED = "check {check_id}: correct options {old} → {new}."
SCORE_CHANGED_SUBJECT = "Your score on {title} changed"
SCORE_CHANGED = "Your score on {title} changed from {old} to {new}."
KEY_CORRECTED = (
    "The check's answer key was corrected; its answer is shown once you answer "
    "it correctly or have used your tries."
)

logger = logging.getLogger(__name__)


def check_keys(lesson: LessonPage) -> dict[str, list[str] | dict]:
    """What grades each of the lesson's checks: the correct option ids of a
    multiple-choice check, the key JSON of a code-entry check."""
    keys: dict[str, list[str] | dict] = {}
    for check_id, (kind, check) in lesson.checks().items():
        if kind == "knowledge_check":
            keys[check_id] = sorted(
                option["option_id"] for option in check["options"] if option["correct"]
            )
        else:
            keys[check_id] = check["key"]
    return keys


def _summary(check_id: str, previous, key) -> str:
    if isinstance(key, list):
        return CORRECT_OPTIONS_CHANGED.format(
            check_id=check_id,
            old=", ".join(previous) or "none",
            new=", ".join(key) or "none",
        )
    return f"check {check_id}: " + " ".join(describe_key_changes(previous, key))


def lesson_regrade_queue(*, lesson: LessonPage, revision) -> None:
    """Queue the regrade of the checks whose key publishing `revision` changed,
    after commit (a check that is new has no answers to regrade)."""
    previous_revision = revision_published_before(lesson, revision)
    if previous_revision is None:
        return
    before = check_keys(previous_revision.as_object())
    date = timezone.localdate().isoformat()
    reasons = {
        check_id: REGRADE_REASON.format(
            date=date, summary=_summary(check_id, before[check_id], key)
        )
        for check_id, key in check_keys(revision.as_object()).items()
        if check_id in before and before[check_id] != key
    }
    if reasons:
        transaction.on_commit(
            lambda: enqueue(lesson_regrade_task, lesson.pk, revision.pk, reasons)
        )


def lesson_regrade(
    *, lesson_id: int, revision_id: int, reasons: dict[str, str]
) -> dict[str, list[int]]:
    """Regrade every answer to each check named in `reasons` (check id → why)
    with the lesson's live key, recorded as done by whoever published
    `revision_id` (the approver of its review). Returns, per check, the ids of
    the ledger rows whose points or result changed; `responses_regraded` names
    them, one check at a time, once the regrade commits (sent even when there
    are none: an upheld dispute waits for it)."""
    lesson = LessonPage.objects.get(pk=lesson_id)
    revision = Revision.objects.filter(pk=revision_id).first()
    publisher_id = revision_publisher_id(lesson, revision)
    regraded_by = get_user_model().objects.filter(pk=publisher_id).first()
    checks = lesson.checks()
    changed: dict[str, list[int]] = {}
    with transaction.atomic():
        for check_id, reason in reasons.items():
            if check_id in checks:
                changed[check_id] = _check_regrade(
                    lesson, check_id, reason=reason, regraded_by=regraded_by
                )
        for check_id, ids in changed.items():
            transaction.on_commit(
                lambda check_id=check_id, ids=ids: responses_regraded.send(
                    sender=LessonPage,
                    item=ItemRef.knowledge_check(lesson.pk, check_id),
                    graded_response_ids=ids,
                    reason=reasons[check_id],
                )
            )
    return changed


def _check_regrade(lesson, check_id: str, *, reason: str, regraded_by) -> list[int]:
    item = ItemRef.knowledge_check(lesson.pk, check_id)
    rows = (
        GradedResponse.objects.select_for_update()
        .filter(
            source=GradedResponse.Source.KNOWLEDGE_CHECK,
            item_type=item.item_type,
            item_id=item.item_id,
            learner__isnull=False,
        )
        .select_related("learner")
        .order_by("pk")
    )
    changed = []
    answers_by_enrolment = defaultdict(list)
    for row in rows:
        try:
            graded = check_answer_grade(
                lesson=lesson, check_id=check_id, data=row.response
            )
        except AnswerError as error:
            logger.warning("check answer %s not regraded: %s", row.pk, error.message)
            continue
        before = (row.points, row.result)
        row = check_answer_record(
            learner=row.learner,
            lesson=lesson,
            check_id=check_id,
            attempt_ref=row.attempt_ref,
            graded=graded,
            regraded_by=regraded_by,
            regrade_reason=reason,
        )
        if (row.points, row.result) != before:
            changed.append(row.pk)
        # attempt_ref is kc:<enrolment>:<lesson>:<check>:<attempt number>.
        parts = row.attempt_ref.split(":")
        answers_by_enrolment[int(parts[1])].append((int(parts[-1]), graded))
    for enrolment_id, answers in answers_by_enrolment.items():
        _check_result_refresh(
            lesson, check_id, enrolment_id, min(answers, key=lambda pair: pair[0])[1]
        )
    return changed


def _check_result_refresh(lesson, check_id: str, enrolment_id: int, first) -> None:
    """The learner's summary of the check after its first try (`first`, graded
    again) was regraded: the recorded score is the first try's; the check stays
    passed if the first try or the last answer is right under the new key."""
    result = (
        CheckResult.objects.select_for_update()
        .filter(
            progress__enrolment_id=enrolment_id,
            progress__lesson=lesson,
            check_id=check_id,
        )
        .first()
    )
    if result is None:
        return
    try:
        last = check_answer_grade(
            lesson=lesson, check_id=check_id, data=result.last_response
        )
    except AnswerError:
        last = first
    result.first_points = first.result.points
    result.max_points = first.result.max_points
    if first.correct:
        result.correct_on = 1
    elif not last.correct:
        result.correct_on = None
    result.passed = result.correct_on is not None
    result.last_feedback = last.feedback(revealed=result.revealed)
    result.save(
        update_fields=[
            "first_points",
            "max_points",
            "correct_on",
            "passed",
            "last_feedback",
        ]
    )


def _score(points: float, max_points: float) -> str:
    return f"{points:g}/{max_points:g}"


def _revealed(rows: list[GradedResponse]) -> set[tuple[int, str]]:
    """The (learner id, ledger item id) of each row's check whose answer its
    learner may see now, after the regrade."""
    items = {row.item for row in rows}
    results = CheckResult.objects.filter(
        progress__enrolment__learner__in={row.learner_id for row in rows},
        progress__lesson_id__in={item.object_pk for item in items},
        check_id__in={item.part for item in items},
    ).select_related("progress__enrolment")
    return {
        (
            result.progress.enrolment.learner_id,
            ItemRef.knowledge_check(result.progress.lesson_id, result.check_id).item_id,
        )
        for result in results
        if result.revealed
    }


def regrade_notices(*, graded_response_ids: list[int], reason: str) -> list[dict]:
    """What to tell each learner whose score on a check changed in a regrade:
    one notice per learner (the keyword arguments of a notification), a line per
    changed answer with its score before and after and why, linking to the
    lesson. The why is the key change (the regrade's reason) only for a learner
    the check's answer is revealed to under the new key; the others are told the
    key was corrected, since the reason quotes the key."""
    rows = [
        row
        for row in GradedResponse.objects.filter(
            pk__in=graded_response_ids, learner__isnull=False
        )
        .select_related("learner")
        .prefetch_related("regrades")
        .order_by("pk")
        if row.regrades.all()
    ]
    revealed = _revealed(rows)
    lines_by_learner = defaultdict(list)
    lesson_ids = set()
    for row in rows:
        previous = list(row.regrades.all())[-1].previous
        if (previous["points"], previous["max_points"]) == (row.points, row.max_points):
            continue
        old = _score(previous["points"], previous["max_points"])
        new = _score(row.points, row.max_points)
        title = row.item_title
        why = reason if (row.learner_id, row.item_id) in revealed else KEY_CORRECTED
        lines_by_learner[row.learner].append(
            (title, f"{SCORE_CHANGED.format(title=title, old=old, new=new)} {why}")
        )
        lesson_ids.add(row.item.object_pk)
    lesson = LessonPage.objects.filter(pk__in=lesson_ids).first()
    return [
        {
            "user": learner,
            "subject": SCORE_CHANGED_SUBJECT.format(title=lines[0][0]),
            "body": "\n\n".join(line for _, line in lines),
            "url": lesson.url if lesson else "",
        }
        for learner, lines in lines_by_learner.items()
    ]
