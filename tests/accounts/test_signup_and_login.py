import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.support.accounts import PASSWORD

pytestmark = pytest.mark.django_db

NEW_EMAIL = "new.coder@example.test"


def sign_up(
    client, email=NEW_EMAIL, password=PASSWORD, password2=None, display_name="Maria"
):
    return client.post(
        "/accounts/signup/",
        {
            "display_name": display_name,
            "email": email,
            "password1": password,
            "password2": password2 or password,
        },
    )


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+/)", message.body)[
        1
    ]


def test_sign_up_makes_a_learner_and_sends_a_verification_email(client):
    response = sign_up(client)
    assert response.status_code == 302
    user = get_user_model().objects.get(email=NEW_EMAIL)
    assert list(user.groups.values_list("name", flat=True)) == ["Learner"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [NEW_EMAIL]


def test_login_is_refused_until_the_email_is_confirmed(client):
    sign_up(client)
    client.logout()
    response = client.post(
        "/accounts/login/", {"login": NEW_EMAIL, "password": PASSWORD}
    )
    assert response.url == "/accounts/confirm-email/"
    assert client.get("/dashboard/").status_code == 302

    link = confirmation_link(mail.outbox[-1])
    response = client.post(link)
    assert response.status_code == 302
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize(
    ("email", "password", "password2", "field_error"),
    [
        ("not-an-email", PASSWORD, None, "Enter a valid email address."),
        (NEW_EMAIL, "short", None, "This password is too short."),
        (
            NEW_EMAIL,
            PASSWORD,
            "something-else-entirely",
            "You must type the same password each time.",
        ),
        ("", PASSWORD, None, "This field is required."),
    ],
)
def test_sign_up_shows_field_errors_and_creates_nothing(
    client, email, password, password2, field_error
):
    response = sign_up(client, email, password, password2)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not get_user_model().objects.filter(email=NEW_EMAIL).exists()


def test_duplicate_email_creates_nothing_and_reveals_nothing(client, learner):
    response = sign_up(client, email=learner.email)
    # The same answer as a fresh sign-up, so nobody can probe which emails exist;
    # the owner of the address is told by email instead.
    assert response.status_code == 302
    assert get_user_model().objects.filter(email=learner.email).count() == 1
    assert "already exists" in mail.outbox[-1].body


def test_repeated_failed_logins_are_rate_limited(client, learner):
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"login": learner.email, "password": "wrong"}
        )
        assert (
            "The email address and/or password you specified are not correct."
            in response.content.decode()
        )
    response = client.post(
        "/accounts/login/", {"login": learner.email, "password": PASSWORD}
    )
    assert (
        "Too many failed login attempts. Try again later." in response.content.decode()
    )
    assert client.get("/dashboard/").status_code == 302


def test_password_change_and_reset_pages_work(learner_client):
    assert learner_client.get("/accounts/password/change/").status_code == 200
    response = learner_client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another-long-password-7",
            "password2": "another-long-password-7",
        },
    )
    assert response.status_code == 302
    learner_client.logout()
    response = learner_client.post(
        "/accounts/password/reset/", {"email": "learner@example.test"}
    )
    assert response.status_code == 302
    assert "password" in mail.outbox[-1].subject.lower()
