"""Readiness pages: the learner's own, and instructors' views of their learners."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from accounts.roles import is_administrator, is_instructor
from readiness import selectors
from readiness.charts import domain_data, domain_extremes, history_data


def _page_context(learner, certification) -> dict:
    context = selectors.readiness_for(learner, certification)
    cut = context["rule"].percent_cut
    context["cut"] = cut
    context["history_data"] = history_data(context["history"], cut)
    context["domain_data"] = domain_data(context["domains"], cut)
    context["domain_extremes"] = domain_extremes(context["domains"])
    return context


@login_required
def index(request):
    return render(
        request,
        "readiness/index.html",
        {
            "own": selectors.dashboard_context(request.user)["latest"],
            "certifications": selectors.all_certifications(),
            "instructs": _may_instruct(request.user),
        },
    )


@login_required
def detail(request, slug):
    certification = selectors.certification_by_slug(slug)
    context = _page_context(request.user, certification)
    return render(request, "readiness/detail.html", {**context, "learner": None})


def _may_instruct(user) -> bool:
    return is_instructor(user) or is_administrator(user)


@login_required
def cohort(request, slug):
    if not _may_instruct(request.user):
        raise Http404
    certification = selectors.certification_by_slug(slug)
    rows = selectors.cohort_overview(request.user, certification)
    return render(
        request,
        "readiness/cohort.html",
        {"certification": certification, "rows": rows},
    )


@login_required
def learner(request, learner_id, slug):
    if not _may_instruct(request.user):
        raise Http404
    shown = selectors.learner_visible_to(request.user, learner_id)
    certification = selectors.certification_by_slug(slug)
    context = _page_context(shown, certification)
    named = None if shown == request.user else shown
    return render(request, "readiness/detail.html", {**context, "learner": named})


@login_required
def calibration(request, slug):
    if not _may_instruct(request.user):
        raise Http404
    certification = selectors.certification_by_slug(slug)
    return render(
        request,
        "readiness/calibration.html",
        {
            "certification": certification,
            **selectors.mock_calibration_for(request.user, certification),
        },
    )
