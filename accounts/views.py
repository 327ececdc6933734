from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse


def login_elsewhere(request):
    """Wagtail's and Django admin's own login forms would skip allauth's rate limits,
    email verification and TOTP step: their URLs send every method here, to
    allauth's login, keeping where the user was going."""
    url = reverse("account_login")
    next_url = request.GET.get("next")
    if next_url:
        url += "?" + urlencode({"next": next_url})
    return HttpResponseRedirect(url)
