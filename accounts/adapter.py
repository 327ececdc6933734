from contextlib import suppress

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429
from django.shortcuts import render

from core.cache import CacheUnavailable

from . import login_limits
from .roles import Role, assign_role

# Sign-in fails closed while the cache that counts its limits is unreachable: an
# unlimited login form is what a password-guessing run waits for. Everyone already
# signed in keeps working (their session is read from the database).
LOGIN_UNAVAILABLE = (
    "Signing in is paused for a moment while a part of the site recovers. "
    "If you are already signed in, you can carry on. Please try again in a minute."
)
RETRY_AFTER_SECONDS = 30


def _login_unavailable(request):
    response = render(request, "503.html", {"message": LOGIN_UNAVAILABLE}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who signs up is a Learner; other roles are granted by administrators.
    Sign-ins are limited per address here (accounts.login_limits) and per account by
    allauth."""

    def save_user(self, request, user, form, commit=True):
        user.display_name = form.cleaned_data.get("display_name", "")
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            assign_role(user, Role.LEARNER)
        return user

    def pre_authenticate(self, request, **credentials):
        address = self.get_client_ip(request)
        try:
            allowed = login_limits.attempt_allowed(address)
        except CacheUnavailable:
            raise ImmediateHttpResponse(_login_unavailable(request)) from None
        if not allowed:
            raise ImmediateHttpResponse(respond_429(request))
        if not login_limits.failures_below_limit(address):
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        # Lost with the cache; the next attempt is refused until it is back.
        with suppress(CacheUnavailable):
            login_limits.failure_record(self.get_client_ip(request))
        super().authentication_failed(request, **credentials)
