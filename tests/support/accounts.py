"""Users for tests: one password for all, a user per role, and a test client signed
in the way a staff member's password and TOTP code leave it."""

from accounts.roles import Role
from accounts.services import user_ensure

PASSWORD = "a-long-test-password-42"


def make_user(email: str, role: Role):
    user, _ = user_ensure(email=email, password=PASSWORD, role=role)
    return user


def log_in_with_two_factor(client, user, *, passed: bool = True):
    """Log a staff user in as allauth's login leaves them after a password and a TOTP
    code: TOTP turned on, and both steps recorded in the session (the record that
    accounts.middleware asks for; tests/accounts pins it against the real login).
    With `passed=False` only the password step is recorded."""
    from allauth.account.internal.flows.login import record_authentication
    from django.test import RequestFactory

    from accounts.demo import DEMO_TOTP_SECRET
    from accounts.services import user_enable_totp

    user_enable_totp(user=user, secret=DEMO_TOTP_SECRET)
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    if passed:
        record_authentication(request, user, "mfa", type="totp")
    request.session.save()
    return client
