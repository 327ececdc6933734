"""The dashboard panels on class work, both read through the gradebook's rule
(`selectors.assignment_grades`): a learner's assignments with their status and
score, and an instructor's classes with how many learners handed in the work
due around now."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from cohorts.models import Assignment, Cohort, Membership
from cohorts.selectors import work_links
from exams import selectors as exam_selectors
from gradebook.selectors import assignment_grades

INSTRUCTOR_PANEL_DAYS = 14


def learner_dashboard_context(user) -> dict | None:
    """Every assignment of the learner's classes with its grade; hidden for
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
    grades = assignment_grades(assignments, [user.pk])
    exams_scored = {
        assignment.blueprint
        for assignment in assignments
        if assignment.kind == Assignment.Kind.EXAM
        and grades[assignment.pk, user.pk].percent is not None
    }
    # A mock exam's score and pass mark show as its review policy allows (not
    # before the close under "after the close date"); asked once per exam scored.
    exam_scores_open = {
        blueprint.pk: exam_selectors.scores_open(learner=user, blueprint=blueprint)
        for blueprint in exams_scored
    }
    rows = []
    for assignment in assignments:
        grade = grades[assignment.pk, user.pk]
        scores_open = exam_scores_open.get(assignment.blueprint_id, True)
        rows.append(
            {
                "assignment": assignment,
                "links": work_links(assignment),
                "grade": grade,
                "score": grade.score_text if scores_open else "",
                "detail": grade.detail if scores_open else "",
            }
        )
    return {"cohorts": cohorts, "rows": rows}


def instructor_dashboard_context(user) -> dict | None:
    """The instructor's classes with learner counts, and their assignments due in
    the next two weeks or past due in the last two, with how many learners have
    handed the work in (submitted or late)."""
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
        .order_by("due_at", "pk")
    )
    members = Membership.objects.filter(
        cohort__in={assignment.cohort_id for assignment in assignments}
    ).values_list("cohort_id", "learner_id")
    learners_of: dict[int, list[int]] = {}
    for cohort_id, learner_id in members:
        learners_of.setdefault(cohort_id, []).append(learner_id)
    everyone = {learner for ids in learners_of.values() for learner in ids}
    grades = assignment_grades(assignments, everyone, now=now)
    rows = []
    for assignment in assignments:
        learners = learners_of.get(assignment.cohort_id, [])
        rows.append(
            {
                "assignment": assignment,
                "learners": len(learners),
                "handed_in": sum(
                    grades[assignment.pk, learner].handed_in for learner in learners
                ),
            }
        )
    days = INSTRUCTOR_PANEL_DAYS
    return {
        "cohorts": cohorts,
        "sections": [
            (
                f"Due in the next {days} days",
                [row for row in rows if row["assignment"].due_at >= now],
            ),
            (
                f"Past due in the last {days} days",
                [row for row in rows if row["assignment"].due_at < now],
            ),
        ],
    }
