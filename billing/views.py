"""Billing practice in the browser: the library, one attempt's workspace (the
claim form beside the record, its 837, the scrubber, the payer's answer and the
denial worklist) and the instructors' appeal scoring. Thin: parse, call a service,
render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from billing import selectors, services, x12
from billing.engine.claim import POINTER_LETTERS, Claim, ClaimForm
from billing.engine.remittance import DenialAction, DenialCategory
from billing.engine.scenario import ScenarioKind
from billing.engine.scrubber import EDITS
from billing.engine.worklist import DEFAULT_RUBRIC
from billing.forms import (
    LINE_ROWS,
    OCCURRENCE_ROWS,
    OTHER_DIAGNOSIS_ROWS,
    PROCEDURE_ROWS,
    ClaimFormData,
    claim_boxes,
)
from billing.payer_data import carc_text, payers, rarc_text
from billing.services import BillingError
from case_studies.visibility import practice_blocked

ACTIONS = ("save", "scrub", "submit", "predict", "post")
PAYER_HINT = "The demo payers: {ids}."
NO_837 = "The 837 cannot be built from this claim yet: {problems}"
APPEAL_SCORED = "Appeal scored."


@login_required
def library(request):
    context = {"entries": selectors.library_for(request.user)}
    return render(request, "billing/library.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scenario(request, slug):
    page = selectors.scenario_for_practice(slug)
    if reason := _blocked(request.user, page):
        context = {"scenario": page, "reason": reason}
        return render(request, "billing/blocked.html", context, status=403)
    if request.method == "POST":
        attempt = services.attempt_start_over(learner=request.user, page=page)
    else:
        attempt = services.attempt_start(learner=request.user, page=page)
    return redirect(attempt)


def _blocked(user, page) -> str:
    """A claim built on a case an exam in progress is testing is refused like
    practice on the case: its key would give the exam's codes away."""
    case = selectors.case_record(page.case_slug)
    return practice_blocked(user, case) if case is not None else ""


@login_required
@require_http_methods(["GET", "POST"])
def attempt(request, pk):
    attempt = selectors.attempt_for(request.user, pk)
    if reason := _blocked(request.user, attempt.scenario):
        context = {"scenario": attempt.scenario, "reason": reason}
        return render(request, "billing/blocked.html", context, status=403)
    if request.method == "GET":
        return _workspace(request, attempt)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return _workspace(request, attempt, errors=[services.NOT_THIS_STEP], status=400)
    if action == "predict":
        predicted = set(request.POST.getlist("edits"))
        return _run(request, attempt, services.attempt_predict, predicted=predicted)
    if action == "post":
        posting = {
            name: value
            for name, value in request.POST.items()
            if name.startswith(("lines.", "claim."))
        }
        return _run(request, attempt, services.attempt_post, posting=posting)
    form = ClaimFormData(request.POST, Claim.model_validate(attempt.claim).form)
    if form.errors:
        return _workspace(
            request, attempt, errors=form.errors, claim=form.claim, status=400
        )
    service = {
        "save": services.attempt_claim_save,
        "scrub": services.attempt_scrub,
        "submit": services.attempt_submit,
    }[action]
    return _run(request, attempt, service, claim=form.claim)


def _run(request, attempt, service, **arguments):
    """Call a step's service; on refusal, the workspace with its message."""
    try:
        service(attempt=attempt, **arguments)
    except BillingError as error:
        attempt.refresh_from_db()
        return _workspace(request, attempt, errors=[error.message], status=400)
    return redirect(attempt)


@login_required
def download_837(request, pk):
    """The claim as saved, as the 837 file a clearinghouse would receive."""
    attempt = selectors.attempt_for(request.user, pk)
    built = services.claim_837(attempt)
    if built is None:
        raise Http404
    if built.text is None:
        message = NO_837.format(problems=" ".join(built.problems))
        return HttpResponse(message, status=400, content_type="text/plain")
    claim = Claim.model_validate(attempt.claim)
    response = HttpResponse(built.text, content_type="text/plain; charset=us-ascii")
    kind = "837I" if claim.form == ClaimForm.UB04 else "837P"
    name = f"claim-{attempt.pk}-{kind}.txt"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def work_denial(request, pk):
    attempt = selectors.attempt_for(request.user, pk)
    line = request.POST.get("line", "")
    try:
        services.denial_work(
            attempt=attempt,
            line_number=int(line) if line.isdigit() else None,
            category=request.POST.get("category", ""),
            action=request.POST.get("fix", ""),
        )
    except BillingError as error:
        return _workspace(request, attempt, errors=[error.message], status=400)
    return redirect(attempt)


@login_required
@require_POST
def appeal(request, pk, work_id):
    attempt = selectors.attempt_for(request.user, pk)
    work = selectors.work_for(attempt, work_id)
    try:
        services.appeal_submit(work=work, letter=request.POST.get("letter", ""))
    except BillingError as error:
        attempt.refresh_from_db()
        return _workspace(
            request,
            attempt,
            errors=[error.message],
            letters={work.pk: request.POST.get("letter", "")},
            status=400,
        )
    return redirect(attempt)


@login_required
@require_POST
def correct(request, pk, work_id):
    attempt = selectors.attempt_for(request.user, pk)
    work = selectors.work_for(attempt, work_id)
    try:
        correction = services.attempt_correct(attempt=attempt, work=work)
    except BillingError as error:
        return _workspace(request, attempt, errors=[error.message], status=400)
    return redirect(correction)


def _workspace(request, attempt, *, errors=(), claim=None, letters=None, status=200):
    page = attempt.scenario
    case = selectors.case_record(page.case_slug)
    scenario = page.scenario()
    claim = claim or Claim.model_validate(attempt.claim)
    viewer = request.user
    remittance = services.remittance_of(attempt) if attempt.remittance else None
    built = None if attempt.is_submitted else services.claim_837(attempt, claim)
    denials = list(attempt.denials.all())
    graded_ids = [
        attempt.graded_claim_id,
        attempt.graded_prediction_id,
        attempt.graded_posting_id,
        *(work.graded_id for work in denials),
        *(work.graded_appeal_id for work in denials),
    ]
    feedback = selectors.feedback_by_id(attempt.learner, graded_ids, viewer=viewer)
    context = {
        "attempt": attempt,
        "page": page,
        "scenario": scenario,
        "kind": scenario.kind.value,
        "case": case,
        "registration": scenario.registration,
        "claim": claim,
        "boxes": claim_boxes(claim),
        "editable": services.claim_editable(attempt),
        "can_submit": services.claim_editable(attempt)
        and scenario.kind != ScenarioKind.SCRUB,
        "x12": built,
        "x12_segments": _segments(built),
        "edits": attempt.scrub_edits,
        "edit_groups": _edit_groups(),
        "errors": errors,
        "claim_feedback": feedback.get(attempt.graded_claim_id),
        "prediction_feedback": feedback.get(attempt.graded_prediction_id),
        "posting_feedback": feedback.get(attempt.graded_posting_id),
        "remittance": remittance,
        "advice": x12.parse_835(attempt.era) if attempt.era else None,
        "era_segments": x12.annotated_segments(attempt.era) if attempt.era else (),
        "worklist": _worklist(attempt, remittance, feedback, letters or {}),
        "letters": POINTER_LETTERS,
        "line_rows": range(LINE_ROWS[claim.form]),
        "other_diagnosis_rows": range(OTHER_DIAGNOSIS_ROWS),
        "procedure_rows": range(PROCEDURE_ROWS),
        "occurrence_rows": range(OCCURRENCE_ROWS),
        "payer_hint": PAYER_HINT.format(ids=", ".join(payers())),
        "categories": list(DenialCategory),
        "fixes": list(DenialAction),
        "rubric": DEFAULT_RUBRIC.items,
    }
    return render(request, "billing/attempt.html", context, status=status)


def _edit_groups() -> list[tuple[str, list[tuple[str, object]]]]:
    """The scrubber's catalogue by category, in catalogue order."""
    groups: dict[str, list] = {}
    for edit_id, rule in EDITS.items():
        groups.setdefault(rule.category, []).append((edit_id, rule))
    return list(groups.items())


def _segments(built) -> list:
    return x12.annotated_segments(built.text) if built and built.text else []


def _worklist(attempt, remittance, feedback, letters) -> list[dict]:
    if remittance is None:
        return []
    worked = {w.line_number: w for w in attempt.denials.all()}
    correction = attempt.corrections.order_by("pk").first() if worked else None
    rows = []
    for line_number, denial in remittance.denials():
        work = worked.get(line_number)
        rows.append(
            {
                "line_number": line_number,
                "denial": denial,
                "reasons": _reasons(remittance, line_number),
                "work": work,
                "feedback": feedback.get(work.graded_id) if work else None,
                "correction": correction,
                "appeal_feedback": feedback.get(work.graded_appeal_id)
                if work
                else None,
                "letter": letters.get(work.pk, "") if work else "",
            }
        )
    return rows


def _reasons(remittance, line_number) -> list[dict]:
    """The denial's adjustment and remark codes with their meanings."""
    adjustments, remarks = services.denial_codes(remittance, line_number)
    reasons = [
        {"code": f"{a.group}-{a.reason}", "text": carc_text(a.reason)}
        for a in adjustments
    ]
    return reasons + [{"code": r, "text": rarc_text(r)} for r in remarks]


@login_required
def appeals_queue(request):
    if not selectors.may_score_appeals(request.user):
        raise Http404
    context = {"appeals": selectors.appeals_to_score_for(request.user)}
    return render(request, "billing/appeals.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_scoring(request, work_id):
    work = selectors.appeal_to_score(request.user, work_id)
    errors, scores = [], dict(work.rubric_scores)
    if request.method == "POST":
        scores, errors = _rubric_scores(request.POST)
        if not errors:
            try:
                services.appeal_score(
                    work=work,
                    scorer=request.user,
                    scores=scores,
                    comment=request.POST.get("comment", ""),
                )
            except BillingError as error:
                errors = [error.message]
            else:
                messages.success(request, APPEAL_SCORED)
                return redirect("billing:appeals")
    context = {
        "work": work,
        "rubric": DEFAULT_RUBRIC.items,
        "scores": scores,
        "errors": errors,
        "remittance": services.remittance_of(work.attempt),
        "scenario": work.attempt.scenario,
    }
    status = 400 if errors else 200
    return render(request, "billing/appeal_score.html", context, status=status)


def _rubric_scores(post) -> tuple[dict[str, int], list[str]]:
    scores, errors = {}, []
    for item in DEFAULT_RUBRIC.items:
        typed = post.get(f"score.{item.id}", "").strip()
        if not (typed.isascii() and typed.isdigit()) or int(typed) > item.max_points:
            message = services.BAD_SCORE.format(item=item.label, most=item.max_points)
            errors.append(message)
            continue
        scores[item.id] = int(typed)
    return scores, errors
