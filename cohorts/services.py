"""Writes of classes: creating one, joining it, inviting to it, and the work
assigned to it."""

from __future__ import annotations

from datetime import datetime

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.roles import is_administrator, is_instructor
from cohorts import selectors
from cohorts.models import Assignment, Cohort, Invitation, Membership, new_join_code

INSTRUCTOR_CANNOT_JOIN = (
    "You are signed in with an instructor account: classes are joined with a "
    "learner account."
)
JOINING_CLOSED = "{cohort} is not taking new learners through its code or link."
INVITATION_SUBJECT = "You are invited to join {cohort} on CoderAcademy"
INVITATION_BODY = (
    "You are invited to join the class {cohort}.\n\n"
    "Follow this link to join it: {url}\n\n"
    "If you log in or sign up with this email address, you join it automatically."
)


class JoinRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def cohort_create(*, name: str, description: str, creator) -> Cohort:
    """A new class taught by `creator`."""
    cohort = Cohort.objects.create(name=name, description=description)
    cohort.instructors.add(creator)
    return cohort


def cohort_joining_set(*, cohort: Cohort, joining_open: bool) -> None:
    cohort.joining_open = joining_open
    cohort.save(update_fields=["joining_open"])


def cohort_code_renew(*, cohort: Cohort) -> str:
    """Replace the join code: the old code and link stop working."""
    cohort.join_code = new_join_code()
    cohort.save(update_fields=["join_code"])
    return cohort.join_code


def join_refusal(*, cohort: Cohort, learner) -> str | None:
    """Why `learner` may not join `cohort`, or None. An invitation lets a learner
    in even when the code and link are closed."""
    if is_instructor(learner) or is_administrator(learner):
        return INSTRUCTOR_CANNOT_JOIN
    if not cohort.joining_open and not selectors.is_invited(cohort, learner):
        return JOINING_CLOSED.format(cohort=cohort.name)
    return None


@transaction.atomic
def cohort_join(*, cohort: Cohort, learner) -> Membership:
    """Add `learner` to `cohort` (idempotent) and accept their invitation to it.
    Raises JoinRefused with the reason when `join_refusal` gives one."""
    if reason := join_refusal(cohort=cohort, learner=learner):
        raise JoinRefused(reason)
    membership, _ = Membership.objects.get_or_create(cohort=cohort, learner=learner)
    cohort.invitations.filter(
        email__iexact=learner.email, accepted_at__isnull=True
    ).update(accepted_at=timezone.now())
    return membership


@transaction.atomic
def invitations_accept(*, user) -> int:
    """Join every class that invited one of `user`'s verified emails (on login and
    sign-up); an instructor account joins none. Returns how many it joined."""
    if is_instructor(user) or is_administrator(user):
        return 0
    invitations = list(
        selectors.pending_invitations_for(user)
        .select_for_update()
        .select_related("cohort")
    )
    for invitation in invitations:
        Membership.objects.get_or_create(cohort=invitation.cohort, learner=user)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return len(invitations)


@transaction.atomic
def invitations_create(
    *, cohort: Cohort, emails: list[str], invited_by, join_url: str
) -> int:
    """Invite each address not invited yet (case-insensitively), all or nothing,
    and email each new one the join link once saved. Returns how many were new."""
    already = set(
        cohort.invitations.annotate(address=Lower("email")).values_list(
            "address", flat=True
        )
    )
    new = {}
    for email in emails:
        if email.lower() not in already:
            new.setdefault(email.lower(), email)
    Invitation.objects.bulk_create(
        Invitation(cohort=cohort, email=email, invited_by=invited_by)
        for email in new.values()
    )
    subject = INVITATION_SUBJECT.format(cohort=cohort.name)
    body = INVITATION_BODY.format(cohort=cohort.name, url=join_url)
    recipients = list(new.values())
    transaction.on_commit(
        lambda: send_mass_mail(
            [(subject, body, None, [email]) for email in recipients],
            fail_silently=True,
        )
    )
    return len(new)


def membership_remove(*, cohort: Cohort, learner_id: int) -> bool:
    """Take a learner out of the class; False if they were not in it."""
    deleted, _ = Membership.objects.filter(
        cohort=cohort, learner_id=learner_id
    ).delete()
    return bool(deleted)


@transaction.atomic
def assignment_create(*, cohort: Cohort, created_by, **work) -> Assignment:
    """Set work for a class; `work` is `assignment_update`'s fields."""
    assignment = Assignment(cohort=cohort, created_by=created_by)
    return assignment_update(assignment=assignment, **work)


@transaction.atomic
def assignment_update(
    *,
    assignment: Assignment,
    kind: str,
    title: str,
    instructions: str,
    due_at: datetime,
    cases=(),
    lesson=None,
    blueprint=None,
    review_policy: str = "",
) -> Assignment:
    """Save the assignment's work. Only its kind's own target is kept, so an edit
    from exam to lesson drops the exam and its review override."""
    is_case_kind = kind in (Assignment.Kind.CASE, Assignment.Kind.CASE_SET)
    is_exam = kind == Assignment.Kind.EXAM
    assignment.kind = kind
    assignment.title = title
    assignment.instructions = instructions
    assignment.due_at = due_at
    assignment.lesson = lesson if kind == Assignment.Kind.LESSON else None
    assignment.blueprint = blueprint if is_exam else None
    assignment.review_policy = review_policy if is_exam else ""
    assignment.save()
    assignment.cases.set(cases if is_case_kind else [])
    return assignment


def assignment_delete(*, assignment: Assignment) -> None:
    assignment.delete()
