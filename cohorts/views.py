"""Class pages: instructors' (classes, roster, invitations, assignments) and the
learner's join page. Every instructor page is reached through a class the user
teaches, so another instructor's ids are 404."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import is_administrator, is_instructor
from cohorts import selectors, services
from cohorts.forms import (
    AccommodationForm,
    AssignmentForm,
    CohortForm,
    InvitationForm,
)
from cohorts.models import Assignment
from exams.services import accommodation_grant

CODE_NOISE = re.compile(r"[^A-Za-z0-9]")

NOT_AN_INSTRUCTOR = "Only instructors can manage classes."
UNKNOWN_CODE = "No class has the code {code}. Check it with your instructor."
CLASS_CREATED = "Class created. Share its join link or invite learners by email."
JOINING_OPENED = "Learners can join with the code and link again."
JOINING_CLOSED = "Joining is closed: the code and link no longer admit anyone."
CODE_RENEWED = "New join code {code}: the old code and link no longer work."
INVITED = "{count} new invitation(s); addresses already invited were skipped."
REMOVED = "Learner removed from the class."
NOT_IN_CLASS = "That learner is not in this class."
JOINED = "You joined {cohort}."
ASSIGNED = "Work assigned."
ASSIGNMENT_SAVED = "Assignment saved."
ASSIGNMENT_DELETED = "Assignment deleted."
ACCOMMODATION_GRANTED = "Accommodation granted to {learner} for {exam}."


def _require_instructor(request: HttpRequest) -> None:
    if not (is_instructor(request.user) or is_administrator(request.user)):
        raise PermissionDenied(NOT_AN_INSTRUCTOR)


@login_required
@require_GET
def cohort_list(request: HttpRequest) -> HttpResponse:
    _require_instructor(request)
    cohorts = selectors.cohorts_taught_by(request.user).prefetch_related("instructors")
    return render(request, "cohorts/list.html", {"cohorts": cohorts})


@login_required
def cohort_create(request: HttpRequest) -> HttpResponse:
    _require_instructor(request)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            creator=request.user,
        )
        messages.success(request, CLASS_CREATED)
        return redirect("cohorts:detail", cohort_id=cohort.pk)
    status = 400 if form.errors else 200
    return render(request, "cohorts/create.html", {"form": form}, status=status)


def _join_url(request: HttpRequest, cohort) -> str:
    return request.build_absolute_uri(reverse("cohorts:join", args=[cohort.join_code]))


def _cohort_page(request, cohort, *, invitation_form=None, status=200):
    context = {
        "cohort": cohort,
        "join_url": _join_url(request, cohort),
        "roster": selectors.roster(cohort),
        "invitations": selectors.pending_invitations(cohort),
        "assignments": selectors.cohort_assignments(cohort),
        "invitation_form": invitation_form or InvitationForm(),
    }
    return render(request, "cohorts/detail.html", context, status=status)


@login_required
@require_GET
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    _require_instructor(request)
    return _cohort_page(request, selectors.cohort_taught_by(request.user, cohort_id))


@login_required
@require_POST
def cohort_joining(request: HttpRequest, cohort_id: int) -> HttpResponse:
    _require_instructor(request)
    cohort = selectors.cohort_taught_by(request.user, cohort_id)
    joining_open = request.POST.get("open") == "1"
    services.cohort_joining_set(cohort=cohort, joining_open=joining_open)
    messages.success(request, JOINING_OPENED if joining_open else JOINING_CLOSED)
    return redirect("cohorts:detail", cohort_id=cohort.pk)


@login_required
@require_POST
def cohort_code_renew(request: HttpRequest, cohort_id: int) -> HttpResponse:
    _require_instructor(request)
    cohort = selectors.cohort_taught_by(request.user, cohort_id)
    code = services.cohort_code_renew(cohort=cohort)
    messages.success(request, CODE_RENEWED.format(code=code))
    return redirect("cohorts:detail", cohort_id=cohort.pk)


@login_required
@require_POST
def cohort_invite(request: HttpRequest, cohort_id: int) -> HttpResponse:
    _require_instructor(request)
    cohort = selectors.cohort_taught_by(request.user, cohort_id)
    form = InvitationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _cohort_page(request, cohort, invitation_form=form, status=400)
    count = services.invitations_create(
        cohort=cohort,
        emails=form.cleaned_data["addresses"],
        invited_by=request.user,
        join_url=_join_url(request, cohort),
    )
    messages.success(request, INVITED.format(count=count))
    return redirect("cohorts:detail", cohort_id=cohort.pk)


@login_required
@require_POST
def membership_remove(
    request: HttpRequest, cohort_id: int, learner_id: int
) -> HttpResponse:
    _require_instructor(request)
    cohort = selectors.cohort_taught_by(request.user, cohort_id)
    if services.membership_remove(cohort=cohort, learner_id=learner_id):
        messages.success(request, REMOVED)
    else:
        messages.error(request, NOT_IN_CLASS)
    return redirect("cohorts:detail", cohort_id=cohort.pk)


@login_required
def assignment_create(request: HttpRequest, cohort_id: int) -> HttpResponse:
    _require_instructor(request)
    cohort = selectors.cohort_taught_by(request.user, cohort_id)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assignment = services.assignment_create(
            cohort=cohort, created_by=request.user, **form.work()
        )
        messages.success(request, ASSIGNED)
        return redirect("cohorts:assignment", assignment_id=assignment.pk)
    return render(
        request,
        "cohorts/assignment_form.html",
        {"cohort": cohort, "form": form, "assignment": None},
        status=400 if form.errors else 200,
    )


def _assignment_page(request, assignment, *, accommodation_form=None, status=200):
    context = {
        "assignment": assignment,
        "cohort": assignment.cohort,
        "links": selectors.work_links(assignment),
    }
    if assignment.kind == Assignment.Kind.EXAM:
        context["accommodation_form"] = accommodation_form or AccommodationForm(
            cohort=assignment.cohort
        )
        context["accommodations"] = selectors.class_accommodations(assignment)
    return render(request, "cohorts/assignment.html", context, status=status)


@login_required
@require_GET
def assignment_detail(request: HttpRequest, assignment_id: int) -> HttpResponse:
    _require_instructor(request)
    assignment = selectors.assignment_taught_by(request.user, assignment_id)
    return _assignment_page(request, assignment)


@login_required
def assignment_edit(request: HttpRequest, assignment_id: int) -> HttpResponse:
    _require_instructor(request)
    assignment = selectors.assignment_taught_by(request.user, assignment_id)
    form = AssignmentForm(request.POST or None, assignment=assignment)
    if request.method == "POST" and form.is_valid():
        services.assignment_update(assignment=assignment, **form.work())
        messages.success(request, ASSIGNMENT_SAVED)
        return redirect("cohorts:assignment", assignment_id=assignment.pk)
    return render(
        request,
        "cohorts/assignment_form.html",
        {"cohort": assignment.cohort, "form": form, "assignment": assignment},
        status=400 if form.errors else 200,
    )


@login_required
def assignment_delete(request: HttpRequest, assignment_id: int) -> HttpResponse:
    _require_instructor(request)
    assignment = selectors.assignment_taught_by(request.user, assignment_id)
    if request.method == "POST":
        services.assignment_delete(assignment=assignment)
        messages.success(request, ASSIGNMENT_DELETED)
        return redirect("cohorts:detail", cohort_id=assignment.cohort_id)
    return render(request, "cohorts/assignment_delete.html", {"assignment": assignment})


@login_required
@require_POST
def accommodation_create(request: HttpRequest, assignment_id: int) -> HttpResponse:
    _require_instructor(request)
    assignment = selectors.assignment_taught_by(request.user, assignment_id)
    if assignment.kind != Assignment.Kind.EXAM:
        return redirect("cohorts:assignment", assignment_id=assignment.pk)
    form = AccommodationForm(request.POST, cohort=assignment.cohort)
    if not form.is_valid():
        return _assignment_page(
            request, assignment, accommodation_form=form, status=400
        )
    learner = form.cleaned_data["learner"]
    accommodation_grant(
        learner=learner,
        blueprint=assignment.blueprint,
        extra_minutes=form.cleaned_data["extra_minutes"],
        time_multiplier=form.cleaned_data["time_multiplier"],
        extra_attempts=form.cleaned_data["extra_attempts"],
        note=form.cleaned_data["note"],
        granted_by=request.user,
    )
    messages.success(
        request,
        ACCOMMODATION_GRANTED.format(learner=learner, exam=assignment.blueprint.name),
    )
    return redirect("cohorts:assignment", assignment_id=assignment.pk)


@login_required
@require_GET
def join_by_code(request: HttpRequest) -> HttpResponse:
    """A form where a learner types the code their instructor gave them."""
    code = CODE_NOISE.sub("", request.GET.get("code", ""))[:16]
    if code:
        return redirect("cohorts:join", code=code.upper())
    return render(request, "cohorts/join_code.html")


@login_required
def join(request: HttpRequest, code: str) -> HttpResponse:
    cohort = selectors.cohort_by_code(code)
    if cohort is None:
        context = {"message": UNKNOWN_CODE.format(code=code)}
        return render(request, "cohorts/join_refused.html", context, status=404)
    if selectors.is_member(cohort, request.user):
        return render(request, "cohorts/join.html", {"cohort": cohort, "member": True})
    if reason := services.join_refusal(cohort=cohort, learner=request.user):
        context = {"cohort": cohort, "message": reason}
        return render(request, "cohorts/join_refused.html", context, status=403)
    if request.method == "POST":
        services.cohort_join(cohort=cohort, learner=request.user)
        messages.success(request, JOINED.format(cohort=cohort.name))
        return redirect("core:dashboard")
    return render(request, "cohorts/join.html", {"cohort": cohort, "member": False})
