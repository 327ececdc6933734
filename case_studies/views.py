"""Practice in the browser: the library, a case beside its coding form, and the
feedback of a submitted attempt. Thin: parse, call a service, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from case_studies import selectors
from case_studies.forms import (
    empty_form,
    practice_form_from_post,
    practice_form_from_response,
)
from case_studies.models import CaseSetting, ClaimSetting
from case_studies.services import (
    ALREADY_SUBMITTED,
    AttemptError,
    attempt_start,
    attempt_submit,
)
from case_studies.visibility import attempt_feedback, practice_blocked
from certifications.models import Certification, Difficulty, Domain
from grading.services import GradingInputError


@login_required
def library(request):
    filters = {name: request.GET.get(name, "") for name in selectors.FILTERS}
    context = {
        "entries": selectors.library_for(request.user, filters),
        "filters": filters,
        "settings_choices": CaseSetting.choices,
        "difficulty_choices": Difficulty.choices,
        "progress_choices": selectors.PROGRESS_CHOICES,
        "specialties": selectors.specialties(),
        "exams": Certification.objects.all(),
        "domains": Domain.objects.select_related("certification"),
    }
    return render(request, "case_studies/library.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def practice(request, slug):
    case = selectors.case_for_practice(slug)
    if reason := practice_blocked(request.user, case):
        context = {"case": case, "reason": reason}
        return render(
            request, "case_studies/practice_blocked.html", context, status=403
        )
    if request.method == "GET":
        form, started_from = empty_form(case.claim_setting), None
        if (previous := request.GET.get("from", "")).isdigit():
            started_from = selectors.submitted_attempt_at(
                request.user, int(previous), case
            )
            form = practice_form_from_response(
                started_from.response, case.claim_setting
            )
        attempt = attempt_start(learner=request.user, case=case)
        return _practice_page(request, case, attempt, form, started_from=started_from)
    attempt_id = request.POST.get("attempt", "")
    if not attempt_id.isdigit():
        return redirect("case_studies:practice", slug=slug)
    attempt = selectors.open_attempt_for(request.user, int(attempt_id), case)
    if attempt.is_submitted:
        return redirect(attempt)
    form = practice_form_from_post(request.POST, case.claim_setting)
    if not form.errors:
        try:
            attempt = attempt_submit(attempt=attempt, response=form.response)
        except AttemptError as error:
            if error.message == ALREADY_SUBMITTED:
                return redirect(attempt)
            form.errors.append(error.message)
        except GradingInputError as error:
            form.errors += [message for _, message in error.errors]
        else:
            return redirect(attempt)
    return _practice_page(request, case, attempt, form, status=400)


def _practice_page(request, case, attempt, form, status=200, started_from=None):
    context = {
        "started_from": started_from,
        "case": case,
        "attempt": attempt,
        "form": form,
        "history": selectors.attempts_for(request.user, case),
        "inpatient": case.claim_setting == ClaimSetting.INPATIENT,
    }
    return render(request, "case_studies/practice.html", context, status=status)


@login_required
def attempt_detail(request, pk):
    attempt = selectors.submitted_attempt_for(request.user, pk)
    result, withheld = attempt_feedback(attempt, viewer=request.user)
    result = result or {}
    context = {
        "attempt": attempt,
        "case": attempt.case,
        "result": result,
        "withheld": withheld,
        "sections": selectors.feedback_sections(result, attempt.case.date_of_service),
    }
    return render(request, "case_studies/attempt.html", context)
