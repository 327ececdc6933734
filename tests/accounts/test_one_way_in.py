"""One guarded way in: every login form is allauth's, and anyone with a privilege
must pass TOTP in the session itself, whichever group or flag gives the privilege."""

import pytest
from allauth.account.authentication import get_authentication_records
from django.contrib.auth.models import Group, Permission
from django.test import Client

from accounts.demo import DEMO_TOTP_SECRET
from accounts.roles import Role, assign_role, is_administrator, is_instructor
from accounts.services import user_enable_totp
from tests.support.accounts import PASSWORD, log_in_with_two_factor, make_user
from tests.support.browser import current_totp

pytestmark = pytest.mark.django_db

REAUTHENTICATE = "/accounts/2fa/reauthenticate/"
ENROL = "/accounts/2fa/totp/activate/?required=1"


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize(
    "login_url", ["/admin/login/", "/django-admin/login/", "/_util/login/"]
)
def test_other_login_forms_send_to_allauth_and_log_nobody_in(
    client, administrator, login_url
):
    user_enable_totp(user=administrator, secret=DEMO_TOTP_SECRET)
    response = client.post(
        f"{login_url}?next=/admin/pages/",
        {"username": administrator.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    assert signed_in_user_id(client) is None
    assert client.get("/admin/").status_code == 302


def test_wagtail_password_reset_is_off_in_favour_of_allauths(client, instructor):
    assert client.get("/admin/password_reset/").status_code == 404
    response = client.post("/admin/password_reset/", {"email": instructor.email})
    assert response.status_code == 404


def test_a_full_allauth_login_with_totp_opens_the_admin(client, instructor):
    user_enable_totp(user=instructor, secret=DEMO_TOTP_SECRET)
    response = client.post(
        "/accounts/login/", {"login": instructor.email, "password": PASSWORD}
    )
    assert response.url == "/accounts/2fa/authenticate/"
    assert signed_in_user_id(client) is None
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": current_totp(DEMO_TOTP_SECRET)}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_test_helper_records_what_the_real_login_records(client, instructor):
    """Pins allauth's session records, which the middleware and the test helper
    both rely on, to the real login flow."""
    user_enable_totp(user=instructor, secret=DEMO_TOTP_SECRET)
    client.post("/accounts/login/", {"login": instructor.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": current_totp(DEMO_TOTP_SECRET)})
    helped = log_in_with_two_factor(Client(), instructor)

    def methods(c):
        request = type("Request", (), {"session": c.session})()
        return [r["method"] for r in get_authentication_records(request, instructor)]

    assert methods(client) == methods(helped) == ["password", "mfa"]


def test_a_password_only_session_must_pass_totp_before_the_admin(client, instructor):
    log_in_with_two_factor(client, instructor, passed=False)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == f"{REAUTHENTICATE}?next=/admin/"

    assert client.get(REAUTHENTICATE).status_code == 200
    response = client.post(
        f"{REAUTHENTICATE}?next=/admin/", {"code": current_totp(DEMO_TOTP_SECRET)}
    )
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/2fa/totp/deactivate/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/reauthenticate/",
    ],
)
def test_a_stolen_password_alone_cannot_change_the_account(client, instructor, path):
    """Else it could re-authenticate with the password, turn TOTP off and enrol its
    own authenticator."""
    log_in_with_two_factor(client, instructor, passed=False)
    for response in (client.get(path), client.post(path, {"password": PASSWORD})):
        assert response.status_code == 302, path
        assert response.url.startswith(REAUTHENTICATE), path


def test_a_password_only_session_may_still_log_out(client, instructor):
    log_in_with_two_factor(client, instructor, passed=False)
    assert client.post("/accounts/logout/").status_code == 302
    assert signed_in_user_id(client) is None


def test_enrolment_then_the_totp_step_opens_the_admin(client, instructor):
    """A privileged user without TOTP sets it up (after confirming the password),
    then passes the TOTP step like any login."""
    client.post("/accounts/login/", {"login": instructor.email, "password": PASSWORD})
    response = client.get("/admin/")
    assert response.url == ENROL
    # allauth asks for the password again before any change to the authenticators.
    response = client.get(ENROL)
    assert response.url.startswith("/accounts/reauthenticate/?next=")
    response = client.post(response.url, {"password": PASSWORD})
    response = client.get(ENROL)
    assert response.status_code == 200
    secret = response.context["form"].secret
    response = client.post(ENROL, {"code": current_totp(secret)})
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.url == f"{REAUTHENTICATE}?next=/admin/"
    client.post(f"{REAUTHENTICATE}?next=/admin/", {"code": current_totp(secret)})
    assert client.get("/admin/").status_code == 200


def _staff_in_another_group(**flags):
    user = make_user("editor@example.test", Role.LEARNER)
    for name, value in flags.items():
        setattr(user, name, value)
    user.save()
    return user


@pytest.mark.parametrize(
    "grant",
    ["wagtail admin by a group", "instruct directly", "staff flag", "superuser"],
)
def test_any_privilege_requires_totp_whatever_the_group(client, grant):
    user = _staff_in_another_group()
    if grant == "wagtail admin by a group":
        support = Group.objects.create(name="Coding support")
        support.permissions.add(Permission.objects.get(codename="access_admin"))
        user.groups.add(support)
    elif grant == "instruct directly":
        user.user_permissions.add(Permission.objects.get(codename="instruct"))
    elif grant == "staff flag":
        user.is_staff = True
    else:
        user.is_superuser = True
    user.save()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == ENROL

    user_enable_totp(user=user, secret=DEMO_TOTP_SECRET)
    assert client.get("/admin/").url == f"{REAUTHENTICATE}?next=/admin/"


def test_roles_are_decided_by_permission(instructor, administrator, learner):
    assert is_instructor(instructor) and not is_administrator(instructor)
    assert is_instructor(administrator) and is_administrator(administrator)
    assert not is_instructor(learner) and not is_administrator(learner)
    # A right granted outside the role groups counts the same.
    learner.user_permissions.add(Permission.objects.get(codename="administer"))
    learner = type(learner).objects.get(pk=learner.pk)
    assert is_administrator(learner)


def test_a_learner_given_a_role_mid_session_must_pass_totp(learner_client, learner):
    assert learner_client.get("/dashboard/").status_code == 200
    assign_role(learner, Role.ADMINISTRATOR)
    assert learner_client.get("/dashboard/").url == ENROL
