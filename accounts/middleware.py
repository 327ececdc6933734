from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from .roles import requires_two_factor

# Views a privileged user may open before passing two-factor authentication in this
# session: the ways out and the second step itself.
OPEN_BEFORE_TWO_FACTOR = frozenset(
    {
        "healthz",
        "readyz",
        "account_login",
        "account_logout",
        "mfa_authenticate",
        "mfa_reauthenticate",
    }
)
# ... and, while no TOTP is set up, the pages that set it up. Never the pages that
# change the email, the password or the authenticators: a stolen password alone
# must not reach them.
OPEN_FOR_ENROLMENT = frozenset(
    {"mfa_index", "mfa_activate_totp", "account_reauthenticate"}
)


def passed_two_factor(request) -> bool:
    """Whether this session passed a second factor (allauth records each step)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class RequireTwoFactorForStaffMiddleware:
    """Anyone with a privilege (accounts.roles.requires_two_factor) must have passed
    TOTP in this very session, and must set it up first if they have none."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not requires_two_factor(request.user) or passed_two_factor(request):
            return None
        view_name = request.resolver_match.view_name
        if view_name in OPEN_BEFORE_TWO_FACTOR:
            return None
        if not is_mfa_enabled(request.user):
            if view_name in OPEN_FOR_ENROLMENT:
                return None
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return redirect_to_login(request.get_full_path(), reverse("mfa_reauthenticate"))
