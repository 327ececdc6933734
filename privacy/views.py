"""Your data: download it as JSON, or delete your account. Every view acts on
the signed-in user only; there is no id to point at someone else."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from privacy.selectors import learner_data
from privacy.services import (
    STAFF_ACCOUNT,
    AccountDeletionRefused,
    account_delete,
    may_delete_own_account,
)

ACCOUNT_DELETED = (
    "Your account and personal data are deleted. Your graded answers are kept "
    "anonymously for question statistics."
)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/overview.html", _context(request.user))


def _context(user, **extra) -> dict:
    return {
        "may_delete": may_delete_own_account(user),
        "staff_account": STAFF_ACCOUNT,
        **extra,
    }


@never_cache
@login_required
def export(request: HttpRequest) -> HttpResponse:
    body = json.dumps(learner_data(request.user), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="coderacademy-data-{day}.json"'
    )
    return response


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    try:
        account_delete(user=request.user, password=request.POST.get("password", ""))
    except AccountDeletionRefused as refusal:
        context = _context(request.user, error=refusal.message)
        return render(request, "privacy/overview.html", context, status=400)
    logout(request)
    messages.success(request, ACCOUNT_DELETED)
    return redirect("/")
