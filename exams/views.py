"""The exam pages: one question per page, working without script; the page's
script saves each answer as it is given through the same POST, asking for JSON."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from case_studies.selectors import published_cases
from exams.errors import AttemptClosed, ExamError, ExamNotFound
from exams.forms import coding_sections, form_text, response_from_form
from exams.item_writes import ItemForWrite
from exams.models import Attempt, Blueprint, QuestionKind
from exams.selectors import (
    attempt_for_learner,
    attempt_item_state,
    attempt_navigation,
    attempt_results,
    attempt_state,
    attempts_allowed,
    blueprints_for,
    time_limit_seconds,
)
from exams.services import (
    SavedItem,
    attempt_finalise_if_expired,
    attempt_flag,
    attempt_save_answer_of,
    attempt_start,
    attempt_submit,
    attempt_view_record,
)
from exams.sessions import session_keep_until


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    try:
        attempt = attempt_for_learner(learner=request.user, attempt_id=attempt_id)
    except ExamNotFound:
        raise Http404 from None
    return attempt_finalise_if_expired(attempt=attempt)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "exams/index.html", {"rows": blueprints_for(request.user)})


@login_required
def exam_start(request: HttpRequest, slug: str) -> HttpResponse:
    blueprint = get_object_or_404(Blueprint.objects.offered(), slug=slug)
    if request.method == "POST":
        try:
            attempt = attempt_start(learner=request.user, blueprint=blueprint)
        except ExamError as error:
            messages.error(request, error.message)
            return redirect("exams:start", slug=slug)
        session_keep_until(request, attempt.deadline)
        return redirect("exams:resume", attempt_id=attempt.pk)
    used = Attempt.objects.filter(learner=request.user, blueprint=blueprint)
    context = {
        "blueprint": blueprint,
        "time_limit_seconds": time_limit_seconds(
            blueprint=blueprint, learner=request.user
        ),
        "attempts_left": attempts_allowed(blueprint=blueprint, learner=request.user)
        - used.count(),
        "open_attempt": used.filter(status=Attempt.Status.IN_PROGRESS).first(),
        "question_count": blueprint.question_count(),
    }
    return render(request, "exams/start.html", context)


@login_required
def attempt_resume(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("exams:results", attempt_id=attempt.pk)
    first_unanswered = (
        attempt.items.filter(response__isnull=True).values_list("position", flat=True)
    ).first()
    return redirect(
        "exams:question", attempt_id=attempt.pk, position=first_unanswered or 1
    )


def _navigation(attempt: Attempt, state: dict, current: int | None = None) -> str:
    """The navigation panel's entries (`<li>` links with their classes and spoken
    status) as HTML. The panel lists every question on every page, and 100
    entries through the template language (500 variables, each number localised
    and escaped) cost about a tenth of a question page's CPU (docs/exams.md);
    built here from numbers and fixed words, the one escaped value is the URL
    prefix."""
    questions = escape(
        reverse("exams:question", args=[attempt.pk, 0]).removesuffix("0/")
    )
    entries = []
    for entry in state["items"]:
        position, answered, flagged = (
            entry["position"],
            entry["answered"],
            entry["flagged"],
        )
        classes = (" is-answered" if answered else "") + (
            " is-flagged" if flagged else ""
        )
        spoken = (", answered" if answered else ", unanswered") + (
            ", flagged" if flagged else ""
        )
        step = ' aria-current="step"' if position == current else ""
        entries.append(
            f'<li><a href="{questions}{position}/" class="exam-nav__link{classes}" '
            f'data-position="{position}"{step}>{position}'
            f'<span class="visually-hidden">{spoken}</span>'
            '<span class="exam-nav__pending" aria-hidden="true" hidden>*</span>'
            "</a></li>"
        )
    return mark_safe("\n".join(entries))


def _target(request: HttpRequest, attempt: Attempt, position: int, total: int):
    go = request.POST.get("go", "stay")
    if go == "review":
        return redirect("exams:review", attempt_id=attempt.pk)
    if go.isdigit() and 1 <= int(go) <= total:
        position = int(go)
    return redirect("exams:question", attempt_id=attempt.pk, position=position)


def _number_or_text(raw: str | None) -> int | str | None:
    """The posted value as an integer when it is one, else as sent, for the save
    to refuse (a negative, a fraction or text is not silently dropped)."""
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        return raw


def _save_form(request: HttpRequest, attempt_id: int, position: int) -> SavedItem:
    """The question's posted form saved, with or without the page's script: the
    answer in the save's own read and write (an empty form changes a stored answer
    only when there is one), then the flag when it changed. `ExamError` when
    refused."""

    def answer_of(item: ItemForWrite) -> dict | None:
        response = response_from_form(
            {"kind": item.kind, "setting": item.key.get("setting")}, request.POST
        )
        return response if item.response is not None or any(response.values()) else None

    saved = attempt_save_answer_of(
        learner=request.user,
        attempt_id=attempt_id,
        position=position,
        answer_of=answer_of,
        sequence=_number_or_text(request.POST.get("sequence")),
    )
    flagged = request.POST.get("flag") == "on"
    if "flag_shown" in request.POST and flagged != saved.flagged:
        saved = attempt_flag(
            learner=request.user,
            attempt_id=attempt_id,
            position=position,
            flagged=flagged,
        )
    return saved


def _save_from_script(request: HttpRequest, attempt_id: int, position: int):
    """The page's script saving an answer as it is given: the save alone, without
    the attempt, the question and the navigation a page would draw."""
    try:
        saved = _save_form(request, attempt_id, position)
    except ExamNotFound:
        raise Http404 from None
    except ExamError as error:
        return JsonResponse(
            {"detail": error.message, "closed": isinstance(error, AttemptClosed)},
            status=error.status,
        )
    return JsonResponse({"saved": True, "remaining_seconds": saved.remaining_seconds})


@login_required
def question_page(request: HttpRequest, attempt_id: int, position: int):
    if request.method == "POST" and _wants_json(request):
        return _save_from_script(request, attempt_id, position)
    attempt = _attempt(request, attempt_id)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("exams:results", attempt_id=attempt.pk)
    item = attempt_item_state(attempt, position)
    if item is None:
        raise Http404
    if request.method == "POST":
        try:
            _save_form(request, attempt.pk, position)
        except ExamError as error:
            messages.error(request, error.message)
            return redirect("exams:question", attempt_id=attempt.pk, position=position)
        return _target(request, attempt, position, attempt.items.count())
    session_keep_until(request, attempt.deadline)
    attempt_view_record(attempt=attempt, position=position)
    state = attempt_navigation(attempt)
    context = {
        "attempt": attempt,
        "state": state,
        "navigation": _navigation(attempt, state, item["position"]),
        "item": item,
        "kinds": QuestionKind,
        "total": len(state["items"]),
        # The page numbers its saves from the server's clock (see exam.js).
        "server_ms": int(timezone.now().timestamp() * 1000),
        "chosen": set((item["response"] or {}).get("options", [])),
        # A coding item built on a case shows the case's record here, read-only:
        # its practice page would grade the answer against the key.
        "case": published_cases().filter(slug=item["case_slug"]).first()
        if item["case_slug"]
        else None,
        "coding_sections": [
            (name, label, hint, form_text(item["response"]).get(name, ""))
            for name, label, hint in coding_sections(item["setting"])
        ]
        if item["kind"] == QuestionKind.CODING
        else [],
    }
    return render(request, "exams/question.html", context)


@login_required
def review_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return redirect("exams:results", attempt_id=attempt.pk)
    attempt_view_record(attempt=attempt, position=None)
    state = attempt_navigation(attempt)
    context = {
        "attempt": attempt,
        "state": state,
        "navigation": _navigation(attempt, state),
    }
    context["unanswered"], context["flagged"] = _unanswered_and_flagged(state)
    return render(request, "exams/review.html", context)


def _unanswered_and_flagged(state: dict) -> tuple[list[dict], list[dict]]:
    items = state["items"]
    return (
        [i for i in items if not i["answered"]],
        [i for i in items if i["flagged"]],
    )


def _questions(count: int) -> str:
    return f"{count} question{pluralize(count)}"


def submit_warning(unanswered: int, flagged: int) -> str:
    """What the learner confirms before submitting with questions left open."""
    parts = [f"{_questions(unanswered)} unanswered"] if unanswered else []
    if flagged:
        parts.append(f"{_questions(flagged)} flagged for review")
    return (
        f"You are submitting with {' and '.join(parts)}. "
        "Once submitted, answers cannot be changed."
    )


def _confirmation(request: HttpRequest, attempt: Attempt) -> HttpResponse | None:
    """The confirmation step the review page's submission goes through when
    questions are unanswered or flagged (a page without script, a reply the
    page's dialog reads with it); None when there is nothing to confirm."""
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return None
    state = attempt_navigation(attempt)
    unanswered, flagged = _unanswered_and_flagged(state)
    if not unanswered and not flagged:
        return None
    warning = submit_warning(len(unanswered), len(flagged))
    if _wants_json(request):
        return JsonResponse(
            {
                "confirm": True,
                "detail": warning,
                "unanswered": len(unanswered),
                "flagged": len(flagged),
            },
            status=409,
        )
    context = {
        "attempt": attempt,
        "state": state,
        "navigation": _navigation(attempt, state),
        "warning": warning,
        "unanswered": unanswered,
        "flagged": flagged,
    }
    return render(request, "exams/confirm.html", context)


@login_required
@require_POST
def attempt_submit_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    # The review page asks for the check; the confirmation page's own form (and
    # the time-out, through the API) submits without it.
    if request.POST.get("check") == "open-questions":
        confirmation = _confirmation(request, _attempt(request, attempt_id))
        if confirmation is not None:
            return confirmation
    try:
        attempt = attempt_submit(learner=request.user, attempt_id=attempt_id)
    except ExamNotFound:
        raise Http404 from None
    if _wants_json(request):
        return JsonResponse({"status": attempt.status})
    return redirect("exams:results", attempt_id=attempt.pk)


@login_required
def results_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, attempt_id)
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return redirect("exams:resume", attempt_id=attempt.pk)
    results = attempt_results(attempt)
    state = attempt_state(attempt) if results["review_visible"] else None
    return render(
        request,
        "exams/results.html",
        {
            "attempt": attempt,
            "results": results,
            "state": state,
            "kinds": QuestionKind,
        },
    )
