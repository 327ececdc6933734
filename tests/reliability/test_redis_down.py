"""Redis (cache and sessions) unreachable: a learner signed in before or during the
outage keeps working through an exam, whose endpoints need only the database;
signing in is refused with a clear 503 rather than left unlimited (issue #15)."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.adapter import LOGIN_UNAVAILABLE
from exams.models import Attempt
from tests.support.accounts import PASSWORD

API = "/api/exams"
pytestmark = pytest.mark.django_db


def test_an_exam_runs_start_to_results_with_redis_down(cache_down, learner, cpc):
    client = Client()
    client.force_login(learner)
    statuses = []

    def call(method, path, body=None):
        if method == "get":
            response = client.get(path)
        else:
            response = getattr(client, method)(
                path, json.dumps(body or {}), content_type="application/json"
            )
        statuses.append((method, path, response.status_code))
        return response

    attempt = call("post", f"{API}/{cpc.slug}/attempts").json()
    attempts = f"{API}/attempts/{attempt['id']}"
    call("put", f"{attempts}/answers/2", {"response": {"options": ["a"]}})
    call("put", f"{attempts}/flags/1", {"flagged": True})
    call("get", attempts)
    call("post", f"{attempts}/submit")
    call("get", f"{attempts}/results")
    pages = ("/", "/dashboard/", "/exams/", "/practice/", "/learn/", "/codes/")
    for page in (*pages, f"/exams/attempts/{attempt['id']}/results/"):
        statuses.append(("get", page, client.get(page).status_code))

    assert [s for s in statuses if s[2] >= 400] == []
    assert Attempt.objects.get(pk=attempt["id"]).status != Attempt.Status.IN_PROGRESS


def test_a_session_from_before_the_outage_still_signs_the_learner_in(
    learner_client, cache_down
):
    response = learner_client.get("/dashboard/")
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated


def test_sign_in_is_refused_with_a_clear_503_while_the_cache_is_down(
    cache_down, learner
):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": learner.email, "password": PASSWORD}
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert LOGIN_UNAVAILABLE in response.content.decode()
    assert client.get("/dashboard/").status_code == 302


def test_sign_out_works_while_the_cache_is_down(cache_down, learner):
    client = Client()
    client.force_login(learner)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_readyz_keeps_the_site_in_rotation_and_names_the_cache(cache_down, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["degraded"] == ["cache"]
    assert body["services"]["cache"].startswith("error:")


def test_sign_up_is_refused_not_unlimited_while_the_cache_is_down(cache_down):
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "new@example.test",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 429
    assert not get_user_model().objects.filter(email="new@example.test").exists()
