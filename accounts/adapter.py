from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.ratelimit import respond_429

from . import login_limits
from .roles import Role, assign_role


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who signs up is a Learner; other roles are granted by administrators.
    Sign-ins are limited per address here (accounts.login_limits) and per account by
    allauth."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            assign_role(user, Role.LEARNER)
        return user

    def pre_authenticate(self, request, **credentials):
        address = self.get_client_ip(request)
        if not login_limits.attempt_allowed(address):
            raise ImmediateHttpResponse(respond_429(request))
        if not login_limits.failures_below_limit(address):
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request, **credentials):
        login_limits.failure_record(self.get_client_ip(request))
        super().authentication_failed(request, **credentials)
