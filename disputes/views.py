"""The learner's dispute form and their disputes; the instructors' queue and
ruling page. Thin: parse, call a selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from disputes import selectors
from disputes.forms import DisputeForm, RulingForm
from disputes.lines import disputed_line
from disputes.models import Dispute
from disputes.services import (
    DisputeError,
    dispute_open,
    dispute_reject,
    dispute_uphold,
)
from grading.visibility import withheld_reason

NO_SUCH_LINE = "There is no such line of feedback to dispute."
DISPUTE_SENT = "Your dispute was sent to the instructors."
REJECTED = "The dispute was rejected and the learner told why."
UPHELD = "The dispute was upheld. Change the key in the editor below."


@login_required
@require_http_methods(["GET", "POST"])
def dispute_new(request):
    response_id = request.GET.get("response", "")
    if not response_id.isdigit():
        raise Http404(NO_SUCH_LINE)
    response = selectors.disputable_response(request.user, int(response_id))
    context = {"response": response}
    if withheld := withheld_reason(response):
        context["withheld"] = withheld
        return render(request, "disputes/new.html", context, status=403)
    line = disputed_line(response, request.GET.get("line", ""))
    if line is None:
        raise Http404(NO_SUCH_LINE)
    form = DisputeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = dispute_open(
                learner=request.user,
                graded_response=response,
                line=line,
                **form.cleaned_data,
            )
        except DisputeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, DISPUTE_SENT)
            return redirect(f"{reverse('disputes:mine')}#dispute-{dispute.pk}")
    context |= {"line": line, "form": form}
    return render(
        request, "disputes/new.html", context, status=400 if form.errors else 200
    )


@login_required
def my_disputes(request):
    disputes = selectors.disputes_of(request.user)
    return render(request, "disputes/mine.html", {"disputes": disputes})


@login_required
def queue(request):
    if not selectors.may_rule(request.user):
        raise Http404
    context = {
        "disputes": selectors.open_disputes_for(request.user),
        "upheld": selectors.upheld_disputes_for(request.user),
    }
    return render(request, "disputes/queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ruling(request, pk):
    dispute = selectors.dispute_to_rule(request.user, pk)
    form = RulingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        explanation = form.cleaned_data["explanation"]
        try:
            if form.cleaned_data["decision"] == RulingForm.REJECT:
                dispute_reject(
                    dispute=dispute, ruled_by=request.user, explanation=explanation
                )
                messages.success(request, REJECTED)
            else:
                dispute_uphold(dispute=dispute, ruled_by=request.user, note=explanation)
                messages.success(request, UPHELD)
        except DisputeError as error:
            form.add_error(None, str(error))
        else:
            return redirect("disputes:ruling", pk=dispute.pk)
    context = {
        "dispute": dispute,
        "form": form,
        "is_open": dispute.status == Dispute.Status.OPEN,
        "edit_url": selectors.content_edit_url(request.user, dispute.graded_response),
    }
    return render(
        request, "disputes/ruling.html", context, status=400 if form.errors else 200
    )
