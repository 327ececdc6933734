"""Instructors' item analysis pages: thin views over the stored snapshots."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.roles import is_administrator, is_instructor
from item_analysis import selectors, services
from item_analysis.statistics import EASY_FACILITY, HARD_FACILITY, PROVISIONAL_BELOW

NOT_AN_INSTRUCTOR = "Only instructors can see item analysis."
NO_SUCH_EXAM = "No such exam."
NO_SUCH_CASE = "No such case in the analysis."
LEGEND = {
    "hard": HARD_FACILITY,
    "easy": EASY_FACILITY,
    "provisional_below": PROVISIONAL_BELOW,
}


def _require_instructor(request: HttpRequest) -> None:
    if not (is_instructor(request.user) or is_administrator(request.user)):
        raise PermissionDenied(NOT_AN_INSTRUCTOR)


def _first_attempts_only(request: HttpRequest) -> bool:
    return request.GET.get("attempts") != "all"


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_instructor(request)
    exams = []
    for blueprint in selectors.blueprints_analysed():
        snapshot, updating = services.snapshot_refresh_if_changed(
            scope=selectors.exam_scope(blueprint.slug)
        )
        exams.append(
            {"blueprint": blueprint, "snapshot": snapshot, "updating": updating}
        )
    cases, cases_updating = services.snapshot_refresh_if_changed(
        scope=selectors.CASES_SCOPE
    )
    return render(
        request,
        "item_analysis/index.html",
        {"exams": exams, "cases": cases, "cases_updating": cases_updating},
    )


@login_required
@require_GET
def exam(request: HttpRequest, slug: str) -> HttpResponse:
    _require_instructor(request)
    blueprint = selectors.blueprint_of_scope(selectors.exam_scope(slug))
    if blueprint is None:
        raise Http404(NO_SUCH_EXAM)
    first_only = _first_attempts_only(request)
    snapshot, updating = services.snapshot_refresh_if_changed(
        scope=selectors.exam_scope(slug), first_attempts_only=first_only
    )
    return render(
        request,
        "item_analysis/exam.html",
        {
            "blueprint": blueprint,
            "snapshot": snapshot,
            "updating": updating,
            "first_attempts_only": first_only,
            **LEGEND,
        },
    )


@login_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    _require_instructor(request)
    snapshot, updating = services.snapshot_refresh_if_changed(
        scope=selectors.CASES_SCOPE
    )
    return render(
        request,
        "item_analysis/cases.html",
        {"snapshot": snapshot, "updating": updating, **LEGEND},
    )


@login_required
@require_GET
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    _require_instructor(request)
    snapshot, updating = services.snapshot_refresh_if_changed(
        scope=selectors.CASES_SCOPE
    )
    analysis = selectors.case_analysis(snapshot.data, case_id)
    if analysis is None and not updating:
        raise Http404(NO_SUCH_CASE)
    return render(
        request,
        "item_analysis/case.html",
        {"snapshot": snapshot, "updating": updating, "case": analysis},
    )
