"""Reads of classes: which classes a user teaches, rosters, and where each learner
stands on each assignment (a per-kind check on the content apps' own rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.roles import is_administrator
from case_studies.models import CaseAttempt
from cohorts.models import Assignment, Cohort, Invitation, Membership
from courses.models import LessonProgress
from exams.models import Accommodation, Attempt

INSTRUCTOR_PANEL_DAYS = 14


class WorkStatus:
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    SUBMITTED = "submitted"
    LATE = "late"


def cohorts_taught_by(user) -> QuerySet[Cohort]:
    """The classes `user` teaches (every class for an administrator), each with
    `learner_count`."""
    cohorts = Cohort.objects.all()
    if not is_administrator(user):
        cohorts = cohorts.filter(instructors=user)
    return cohorts.annotate(learner_count=Count("memberships", distinct=True))


def cohort_taught_by(user, cohort_id: int) -> Cohort:
    """One class `user` teaches, or 404."""
    return get_object_or_404(
        cohorts_taught_by(user).prefetch_related("instructors"), pk=cohort_id
    )


def assignment_taught_by(user, assignment_id: int) -> Assignment:
    """An assignment of a class `user` teaches, or 404."""
    assignments = Assignment.objects.select_related(
        "cohort", "lesson", "blueprint"
    ).prefetch_related("cases")
    if not is_administrator(user):
        assignments = assignments.filter(cohort__instructors=user)
    return get_object_or_404(assignments, pk=assignment_id)


def learner_ids_taught_by(instructor) -> QuerySet:
    """The learners of the classes `instructor` teaches (a readiness learner
    source, registered in CohortsConfig.ready())."""
    return Membership.objects.filter(cohort__instructors=instructor).values_list(
        "learner", flat=True
    )


def cohort_by_code(code: str) -> Cohort | None:
    return (
        Cohort.objects.prefetch_related("instructors")
        .filter(join_code=code.strip().upper())
        .first()
    )


def roster(cohort: Cohort) -> QuerySet[Membership]:
    return cohort.memberships.select_related("learner").order_by("joined_at", "pk")


def pending_invitations(cohort: Cohort) -> QuerySet[Invitation]:
    return cohort.invitations.filter(accepted_at__isnull=True).order_by("email")


def is_member(cohort: Cohort, learner) -> bool:
    return cohort.memberships.filter(learner=learner).exists()


def is_invited(cohort: Cohort, learner) -> bool:
    return cohort.invitations.filter(
        email__iexact=learner.email, accepted_at__isnull=True
    ).exists()


def cohort_assignments(cohort: Cohort) -> QuerySet[Assignment]:
    return cohort.assignments.select_related("lesson", "blueprint").prefetch_related(
        "cases"
    )


def class_accommodations(assignment: Assignment) -> QuerySet[Accommodation]:
    """Accommodations for the assignment's exam held by learners of its class."""
    return Accommodation.objects.filter(
        blueprint=assignment.blueprint, learner__cohorts=assignment.cohort
    ).select_related("learner", "granted_by")


def class_review_policies(learner, blueprint) -> list[str]:
    """The review policy overrides of the classes `learner` is in that assign
    `blueprint` (registered with exams in CohortsConfig.ready())."""
    return list(
        Assignment.objects.filter(
            blueprint=blueprint, cohort__memberships__learner=learner
        )
        .exclude(review_policy="")
        .values_list("review_policy", flat=True)
    )


def work_links(assignment: Assignment) -> list[dict]:
    """Where a learner does the assigned work: a title and a URL per target."""
    if assignment.kind == Assignment.Kind.LESSON:
        return [{"title": assignment.lesson.title, "url": assignment.lesson.url}]
    if assignment.kind == Assignment.Kind.EXAM:
        url = reverse("exams:start", args=[assignment.blueprint.slug])
        return [{"title": assignment.blueprint.name, "url": url}]
    return [
        {
            "title": case.title,
            "url": reverse("case_studies:practice", args=[case.slug]),
        }
        for case in assignment.cases.all()
    ]


@dataclass(frozen=True)
class _Work:
    """A learner's rows on one target: when it was first done, if it was."""

    started: bool = False
    done_at: datetime | None = None


def _case_work(learner_ids, case_ids) -> dict:
    rows = CaseAttempt.objects.filter(
        learner_id__in=learner_ids, case_id__in=case_ids
    ).values_list("learner_id", "case_id", "started_at", "submitted_at")
    return _grouped(rows)


def _exam_work(learner_ids, blueprint_ids) -> dict:
    rows = Attempt.objects.filter(
        learner_id__in=learner_ids, blueprint_id__in=blueprint_ids
    ).values_list("learner_id", "blueprint_id", "started_at", "finished_at")
    return _grouped(rows)


def _lesson_work(learner_ids, lesson_ids) -> dict:
    rows = LessonProgress.objects.filter(
        enrolment__learner_id__in=learner_ids, lesson_id__in=lesson_ids
    ).values_list(
        "enrolment__learner_id", "lesson_id", "first_viewed_at", "completed_at"
    )
    return _grouped(rows)


def _grouped(rows) -> dict[tuple[int, int], list[tuple[datetime, datetime | None]]]:
    grouped: dict = {}
    for learner_id, target_id, started_at, done_at in rows:
        grouped.setdefault((learner_id, target_id), []).append((started_at, done_at))
    return grouped


def _targets(assignment: Assignment) -> list[int]:
    if assignment.kind == Assignment.Kind.LESSON:
        return [assignment.lesson_id]
    if assignment.kind == Assignment.Kind.EXAM:
        return [assignment.blueprint_id]
    return [case.pk for case in assignment.cases.all()]


def _work_on(rows, assignment: Assignment) -> _Work:
    # A lesson read before it was assigned is still read; a case or an exam counts
    # from the assignment on, as the gradebook scores it.
    if assignment.kind != Assignment.Kind.LESSON:
        rows = [row for row in rows if row[0] >= assignment.assigned_at]
    done = [done_at for _, done_at in rows if done_at is not None]
    return _Work(started=bool(rows), done_at=min(done, default=None))


def statuses(assignments, learner_ids) -> dict[tuple[int, int], str]:
    """The WorkStatus of each (assignment id, learner id), in three queries."""
    assignments = list(assignments)
    learner_ids = list(learner_ids)
    targets = {assignment.pk: _targets(assignment) for assignment in assignments}

    def target_ids(*kinds):
        return {
            target
            for assignment in assignments
            if assignment.kind in kinds
            for target in targets[assignment.pk]
        }

    case_kinds = (Assignment.Kind.CASE, Assignment.Kind.CASE_SET)
    work = {
        Assignment.Kind.CASE: _case_work(learner_ids, target_ids(*case_kinds)),
        Assignment.Kind.LESSON: _lesson_work(
            learner_ids, target_ids(Assignment.Kind.LESSON)
        ),
        Assignment.Kind.EXAM: _exam_work(learner_ids, target_ids(Assignment.Kind.EXAM)),
    }
    work[Assignment.Kind.CASE_SET] = work[Assignment.Kind.CASE]
    result = {}
    for assignment in assignments:
        rows_by_target = work[assignment.kind]
        for learner_id in learner_ids:
            on_each = [
                _work_on(rows_by_target.get((learner_id, target), []), assignment)
                for target in targets[assignment.pk]
            ]
            result[assignment.pk, learner_id] = _status(on_each, assignment.due_at)
    return result


def _status(on_each: list[_Work], due_at: datetime) -> str:
    if on_each and all(work.done_at for work in on_each):
        finished = max(work.done_at for work in on_each)
        return WorkStatus.LATE if finished > due_at else WorkStatus.SUBMITTED
    if any(work.started for work in on_each):
        return WorkStatus.IN_PROGRESS
    return WorkStatus.NOT_STARTED


def is_done(status: str) -> bool:
    return status in (WorkStatus.SUBMITTED, WorkStatus.LATE)


def assignment_progress(assignment: Assignment) -> list[dict]:
    """Each learner of the assignment's class with their status on it."""
    memberships = list(roster(assignment.cohort))
    by_learner = statuses([assignment], [m.learner_id for m in memberships])
    overdue = assignment.due_at < timezone.now()
    rows = []
    for membership in memberships:
        status = by_learner[assignment.pk, membership.learner_id]
        rows.append(
            {
                "learner": membership.learner,
                "status": status,
                "overdue": overdue and not is_done(status),
            }
        )
    return rows


def learner_dashboard_context(user) -> dict | None:
    """Every assignment of the learner's classes with its status; hidden for
    someone in no class."""
    if not user.is_authenticated:
        return None
    cohorts = list(Cohort.objects.filter(memberships__learner=user))
    if not cohorts:
        return None
    assignments = list(
        Assignment.objects.filter(cohort__in=cohorts)
        .select_related("cohort", "lesson", "blueprint")
        .prefetch_related("cases")
        .order_by("due_at", "pk")
    )
    by_assignment = statuses(assignments, [user.pk])
    now = timezone.now()
    rows = []
    for assignment in assignments:
        status = by_assignment[assignment.pk, user.pk]
        rows.append(
            {
                "assignment": assignment,
                "links": work_links(assignment),
                "status": status,
                "overdue": assignment.due_at < now and not is_done(status),
            }
        )
    return {"cohorts": cohorts, "rows": rows}


def instructor_dashboard_context(user) -> dict | None:
    """The instructor's classes with learner counts, and their assignments due in
    the next two weeks or past due in the last two, with how many learners have
    handed the work in."""
    # An administrator's dashboard shows the classes they teach, not every class.
    cohorts = list(
        Cohort.objects.filter(instructors=user).annotate(
            learner_count=Count("memberships")
        )
    )
    if not cohorts:
        return None
    now = timezone.now()
    window = timedelta(days=INSTRUCTOR_PANEL_DAYS)
    assignments = list(
        Assignment.objects.filter(
            cohort__in=cohorts, due_at__range=(now - window, now + window)
        )
        .select_related("cohort", "lesson", "blueprint")
        .prefetch_related("cases")
        .order_by("due_at", "pk")
    )
    members = Membership.objects.filter(
        cohort__in={assignment.cohort_id for assignment in assignments}
    ).values_list("cohort_id", "learner_id")
    learners_of: dict[int, list[int]] = {}
    for cohort_id, learner_id in members:
        learners_of.setdefault(cohort_id, []).append(learner_id)
    everyone = {learner for ids in learners_of.values() for learner in ids}
    by_pair = statuses(assignments, everyone)
    rows = []
    for assignment in assignments:
        learners = learners_of.get(assignment.cohort_id, [])
        rows.append(
            {
                "assignment": assignment,
                "learners": len(learners),
                "done": sum(
                    is_done(by_pair[assignment.pk, learner]) for learner in learners
                ),
            }
        )
    days = INSTRUCTOR_PANEL_DAYS
    due_soon = [row for row in rows if row["assignment"].due_at >= now]
    past_due = [row for row in rows if row["assignment"].due_at < now]
    return {
        "cohorts": cohorts,
        "sections": [
            (f"Due in the next {days} days", due_soon),
            (f"Past due in the last {days} days", past_due),
        ],
    }


def pending_invitations_for(learner) -> QuerySet[Invitation]:
    """Invitations not yet accepted addressed to one of the learner's verified
    emails (an address nobody has proved to own joins nothing)."""
    emails = EmailAddress.objects.filter(user=learner, verified=True).values_list(
        "email", flat=True
    )
    addressed = Q(pk__in=[])
    for email in emails:
        addressed |= Q(email__iexact=email)
    return Invitation.objects.filter(addressed, accepted_at__isnull=True)
