"""Login limits that fit a class signing in from behind one address (a lab's NAT)
and still stop a password-guessing run against one account (issue #21)."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.roles import Role
from tests.support.accounts import PASSWORD, make_user

pytestmark = pytest.mark.django_db

CLASS_SIZE = 200
TOO_MANY_FAILURES = "Too many failed login attempts. Try again later."
LAB_ADDRESS = "198.51.100.7"


def sign_in(email, password=PASSWORD):
    client = Client(REMOTE_ADDR=LAB_ADDRESS)
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return client, response


def test_a_class_of_200_signs_in_from_one_address():
    learners = [
        make_user(f"learner{n}@lab.example.test", Role.LEARNER)
        for n in range(CLASS_SIZE)
    ]
    statuses = []
    for learner in learners:
        client, response = sign_in(learner.email)
        statuses.append(response.status_code)
        assert client.session.get("_auth_user_id") == str(learner.pk)
    assert statuses == [302] * CLASS_SIZE


def test_guessing_one_password_is_stopped_while_the_class_signs_in(learner):
    classmate = make_user("classmate@lab.example.test", Role.LEARNER)
    per_account = int(settings.LOGIN_FAILED_LIMIT_PER_ACCOUNT.split("/")[0])
    for _ in range(per_account):
        _, response = sign_in(learner.email, "not-the-password")
        assert TOO_MANY_FAILURES not in response.content.decode()
    for guess in ["guess-1", "guess-2", PASSWORD]:
        client, response = sign_in(learner.email, guess)
        assert TOO_MANY_FAILURES in response.content.decode()
        assert client.session.get("_auth_user_id") is None

    client, response = sign_in(classmate.email)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(classmate.pk)


# A day-long window, so that no window boundary falls within a test.
@pytest.mark.parametrize("limit", ["3/24h"])
def test_one_address_is_still_limited(settings, learner, limit):
    settings.LOGIN_LIMIT_PER_IP = limit
    statuses = [sign_in(learner.email)[1].status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert sign_in(learner.email)[1].status_code == 429


def test_failures_spread_over_accounts_from_one_address_are_stopped(settings):
    settings.LOGIN_FAILED_LIMIT_PER_IP = "3/24h"
    accounts = [make_user(f"l{n}@lab.example.test", Role.LEARNER) for n in range(4)]
    for account in accounts[:3]:
        _, response = sign_in(account.email, "not-the-password")
        assert TOO_MANY_FAILURES not in response.content.decode()
    client, response = sign_in(accounts[3].email)
    assert TOO_MANY_FAILURES in response.content.decode()
    assert client.session.get("_auth_user_id") is None


def test_behind_a_trusted_proxy_each_learners_address_counts(settings, learner):
    settings.LOGIN_LIMIT_PER_IP = "1/24h"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    classmate = make_user("classmate@lab.example.test", Role.LEARNER)

    def via_proxy(email, address):
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)
        data = {"login": email, "password": PASSWORD}
        return client.post("/accounts/login/", data).status_code

    assert via_proxy(learner.email, "203.0.113.1") == 302
    assert via_proxy(classmate.email, "203.0.113.2") == 302
    assert via_proxy(learner.email, "203.0.113.1") == 429
