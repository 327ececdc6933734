from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# Paths a user who still has to turn on two-factor authentication may reach.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/media/")


class RequireTwoFactorForStaffMiddleware:
    """Instructors and administrators must turn on TOTP before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_enrol(request):
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)

    @staticmethod
    def _must_enrol(request) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(_ALLOWED_PREFIXES):
            return False
        return _two_factor_required(user) and not is_mfa_enabled(user)


def _two_factor_required(user) -> bool:
    if user.is_superuser:
        return True
    # Our authentication backends load the user with this answer (accounts.backends).
    in_group = getattr(user, "in_two_factor_group", None)
    if in_group is None:
        in_group = user.groups.filter(
            name__in=settings.TWO_FACTOR_REQUIRED_GROUPS
        ).exists()
    return in_group
