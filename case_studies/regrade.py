"""Regrading a case's submitted attempts once a changed answer key is published.

A publish that logs a key change (`services.key_change_record`) queues
`case_regrade` after commit. It grades every submitted attempt still recorded
against another key with the live key, through the grading of a submission
(`services.attempt_grade_record`), so the ledger keeps each earlier grading as a
`GradedResponseRegrade` naming the publisher and the change. Attempts already
graded with the live key are left alone, so running it again changes nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from case_studies.models import AnswerKeyChange, CaseAttempt, CaseStudyPage
from case_studies.services import attempt_grade_record
from case_studies.tasks import case_regrade_task
from core.audit import revision_publisher_id
from core.tasks import enqueue
from grading.exceptions import GradingInputError
from grading.items import ItemRef
from grading.models import GradedResponse
from grading.signals import responses_regraded
from grading.visibility import with_visibility, withheld_reason

REGRADE_REASON = "Answer key changed on {date}: {summary}"
SCORE_CHANGED_SUBJECT = "Your score on {title} changed"
SCORE_CHANGED = "Your score on {title} changed from {old} to {new}."
REGRADED_WITHHELD = "Your answer to {title} was regraded after its answer key changed."

logger = logging.getLogger(__name__)


def regrade_reason(change: AnswerKeyChange) -> str:
    """The reason a regrade records and tells learners: the day and the change."""
    summary = " ".join(change.summary.splitlines())
    date = timezone.localdate(change.changed_at).isoformat()
    return REGRADE_REASON.format(date=date, summary=summary)


def case_regrade_queue(*, case: CaseStudyPage, revision) -> None:
    """Queue the regrade of `case` after commit when publishing `revision`
    changed its key (a first key has no attempts to regrade)."""
    change = case.key_changes.filter(
        revision=revision, previous_key__isnull=False
    ).first()
    if change is None:
        return
    transaction.on_commit(lambda: enqueue(case_regrade_task, case.pk, change.pk))


def case_regrade(*, case_id: int, key_change_id: int) -> list[int]:
    """Regrade every submitted attempt at the case with its live key, recorded as
    done by whoever published the key change `key_change_id` (the approver of
    its review) and because of it. Returns the ids of the ledger rows whose
    points or result changed; `responses_regraded` names them once the regrade
    commits, sent even when there are none (an upheld dispute waits for it).
    An attempt whose answer no longer fits the key (its claim setting changed)
    keeps its grading and is logged."""
    case = CaseStudyPage.objects.get(pk=case_id)
    change = AnswerKeyChange.objects.select_related("revision").get(pk=key_change_id)
    reason = regrade_reason(change)
    publisher_id = revision_publisher_id(case, change.revision)
    regraded_by = get_user_model().objects.filter(pk=publisher_id).first()
    changed: list[int] = []
    with transaction.atomic():
        attempts = (
            CaseAttempt.objects.select_for_update(of=("self",))
            .filter(
                case=case, submitted_at__isnull=False, graded_response__isnull=False
            )
            .exclude(graded_response__key_revision=case.key_revision)
            .select_related("learner", "graded_response")
            .order_by("pk")
        )
        for attempt in attempts:
            before = (attempt.graded_response.points, attempt.graded_response.result)
            try:
                row = attempt_grade_record(
                    attempt=attempt,
                    response=attempt.response,
                    time_spent=attempt.time_spent,
                    regraded_by=regraded_by,
                    regrade_reason=reason,
                )
            except GradingInputError as error:
                logger.warning("case attempt %s not regraded: %s", attempt.pk, error)
                continue
            if (row.points, row.result) != before:
                changed.append(row.pk)
        transaction.on_commit(
            lambda: responses_regraded.send(
                sender=CaseStudyPage,
                item=ItemRef.case_study(case.pk),
                graded_response_ids=changed,
                reason=reason,
            )
        )
    return changed


def _score(points: float, max_points: float) -> str:
    return f"{points:g}/{max_points:g}"


def _score_changed(row: GradedResponse) -> bool:
    """Whether the row's last regrade changed its score (not only its result)."""
    regrades = list(row.regrades.all())
    if not regrades:
        return False
    previous = regrades[-1].previous
    return (previous["points"], previous["max_points"]) != (row.points, row.max_points)


def regrade_notices(*, graded_response_ids: list[int], reason: str) -> list[dict]:
    """What to tell each learner whose case score changed in a regrade: one
    notice per learner (the keyword arguments of a notification), naming each of
    their changed attempts with its score before and after, and the key change
    unless the case's feedback is withheld from them now (an exam in progress
    tests it)."""
    rows_by_learner = defaultdict(list)
    for row in (
        GradedResponse.objects.filter(pk__in=graded_response_ids)
        .select_related("learner", "case_attempt")
        .prefetch_related("regrades")
        .order_by("pk")
    ):
        if row.learner is not None and _score_changed(row):
            rows_by_learner[row.learner].append(row)
    notices = []
    for learner, rows in rows_by_learner.items():
        visible = with_visibility(
            GradedResponse.objects.filter(pk__in=[row.pk for row in rows]),
            viewer=learner,
            learner=learner,
        )
        withheld = {row.pk: withheld_reason(row) for row in visible}
        title = rows[0].item_title
        lines = []
        for row in rows:
            if withheld[row.pk]:
                lines.append(
                    f"{REGRADED_WITHHELD.format(title=title)} {withheld[row.pk]}"
                )
                continue
            previous = list(row.regrades.all())[-1].previous
            old = _score(previous["points"], previous["max_points"])
            new = _score(row.points, row.max_points)
            lines.append(
                f"{SCORE_CHANGED.format(title=title, old=old, new=new)} {reason}"
            )
        notices.append(
            {
                "user": learner,
                "subject": SCORE_CHANGED_SUBJECT.format(title=title),
                "body": "\n\n".join(lines),
                "url": rows[-1].case_attempt.get_absolute_url(),
            }
        )
    return notices
