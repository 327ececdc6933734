"""Reads of classes: which classes a user teaches, rosters, invitations and
assignments. Where a learner stands on an assignment is the gradebook's rule
(gradebook.selectors.assignment_grades)."""

from __future__ import annotations

from datetime import datetime

from allauth.account.models import EmailAddress
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.roles import is_administrator
from cohorts.models import Assignment, Cohort, Invitation, Membership
from exams.models import Accommodation


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


def class_review_policies(learner, blueprint) -> list[tuple[str, datetime]]:
    """The review policy overrides of the classes `learner` is in that assign
    `blueprint`, each with the assignment's due date as its close (registered with
    exams in CohortsConfig.ready())."""
    return list(
        Assignment.objects.filter(
            blueprint=blueprint, cohort__memberships__learner=learner
        )
        .exclude(review_policy="")
        .values_list("review_policy", "due_at")
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
