"""Reads of exam sittings: who may open a sitting's roster, and each expected
learner's live status at the sitting's exam, in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, time

from django.db.models import Count, Q, TextChoices
from django.http import Http404
from django.utils import timezone

from accounts.roles import is_administrator
from exams.models import Attempt, ExamSitting
from exams.selectors import remaining_seconds


class RosterStatus(TextChoices):
    NOT_SIGNED_IN = "not_signed_in", "Not signed in today"
    SIGNED_IN = "signed_in", "Signed in"
    IN_PROGRESS = "in_progress", "Attempt in progress"
    SUBMITTED = "submitted", "Submitted"
    GRADED = "graded", "Graded"


def sitting_for_instructor(*, user, sitting_id: int) -> ExamSitting:
    """The sitting when `user` runs it or administers the site; `Http404` for
    anyone else, so a sitting's existence is not revealed."""
    sitting = (
        ExamSitting.objects.select_related("blueprint", "instructor")
        .filter(pk=sitting_id)
        .first()
    )
    if sitting is None or not (
        sitting.instructor_id == user.pk or is_administrator(user)
    ):
        raise Http404
    return sitting


def sitting_day_start(sitting: ExamSitting) -> datetime:
    """Midnight of the sitting's day, local time: sign-ins and attempts from then
    on belong to the sitting, so early arrivals and a started attempt count."""
    day = timezone.localtime(sitting.starts_at).date()
    return timezone.make_aware(datetime.combine(day, time.min))


def sitting_roster(sitting: ExamSitting) -> list[dict]:
    """Each expected learner with their status at the sitting's exam: the latest
    attempt started since the sitting's day began, else whether they signed in
    that day. Two queries however many learners and questions."""
    since = sitting_day_start(sitting)
    learners = list(sitting.learners.order_by("email"))
    latest: dict[int, Attempt] = {}
    attempts = (
        Attempt.objects.filter(
            blueprint_id=sitting.blueprint_id,
            learner__in=[learner.pk for learner in learners],
            started_at__gte=since,
        )
        .annotate(
            questions=Count("items"),
            answered=Count("items", filter=Q(items__response__isnull=False)),
        )
        .order_by("number")
    )
    for attempt in attempts:
        latest[attempt.learner_id] = attempt
    return [_row(learner, latest.get(learner.pk), since) for learner in learners]


def _row(learner, attempt: Attempt | None, since: datetime) -> dict:
    if attempt is None:
        signed_in = learner.last_login is not None and learner.last_login >= since
        status = RosterStatus.SIGNED_IN if signed_in else RosterStatus.NOT_SIGNED_IN
        return {"learner": learner, "status": status, "attempt": None}
    return {
        "learner": learner,
        "status": RosterStatus(attempt.status),
        "attempt": attempt,
        "answered": attempt.answered,
        "questions": attempt.questions,
        "remaining_seconds": remaining_seconds(attempt),
    }
