from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse

from .forms import NameForm
from .services import user_rename

NAME_SAVED = "Your name is saved."


def login_elsewhere(request):
    """Wagtail's and Django admin's own login forms would skip allauth's rate limits,
    email verification and TOTP step: their URLs send every method here, to
    allauth's login, keeping where the user was going."""
    url = reverse("account_login")
    next_url = request.GET.get("next")
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(url)


@login_required
def name_edit(request):
    posted = request.method == "POST"
    form = NameForm(
        request.POST if posted else None,
        initial={"display_name": request.user.display_name},
    )
    if posted and form.is_valid():
        user_rename(user=request.user, display_name=form.cleaned_data["display_name"])
        messages.success(request, NAME_SAVED)
        return redirect("accounts:name")
    return render(request, "accounts/name.html", {"form": form})
