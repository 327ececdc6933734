"""The exam flow through the JSON API, as the exam page's script uses it."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from exams.errors import (
    ATTEMPT_CLOSED,
    ATTEMPT_NOT_FOUND,
    ITEM_NOT_IN_ATTEMPT,
    RESPONSE_TOO_LARGE,
)
from exams.models import Attempt, AttemptItem
from exams.services import attempt_grade

API = "/api/exams"


def put(client, url, data):
    return client.put(url, json.dumps(data), content_type="application/json")


def start(client, slug="test-cpc"):
    response = client.post(f"{API}/{slug}/attempts")
    assert response.status_code == 200, response.content
    return response.json()


def test_state_hides_keys_and_rationales(learner_client, cpc):
    started = start(learner_client)
    state = learner_client.get(f"{API}/attempts/{started['id']}").json()
    for body in (json.dumps(started), json.dumps(state)):
        assert "correct" not in body and "rationale" not in body
        assert "Low complexity" not in body
    assert 0 < state["remaining_seconds"] <= 30 * 60
    assert [item["position"] for item in state["items"]] == [1, 2, 3, 4]
    assert {o["id"] for o in state["items"][0]["options"]} == {"a", "b", "c", "d"}


def test_start_outlines_the_attempt_and_shows_the_first_unanswered_question(
    learner_client, cpc
):
    started = start(learner_client)
    assert [
        (item["position"], item["answered"], item["flagged"])
        for item in started["items"]
    ] == [(1, False, False), (2, False, False), (3, False, False), (4, False, False)]
    assert {o["id"] for o in started["question"]["options"]} == {"a", "b", "c", "d"}
    assert started["question"]["position"] == 1
    url = f"{API}/attempts/{started['id']}/answers/1"
    assert put(learner_client, url, {"response": {"options": ["a"]}}).status_code == 200
    resumed = start(learner_client)
    assert resumed["id"] == started["id"]
    assert resumed["items"][0]["answered"] is True
    assert resumed["question"]["position"] == 2


def test_start_twice_resumes(learner_client, cpc):
    assert start(learner_client)["id"] == start(learner_client)["id"]


def test_save_flag_and_read_back(learner_client, cpc):
    state = start(learner_client)
    url = f"{API}/attempts/{state['id']}"
    saved = put(learner_client, f"{url}/answers/2", {"response": {"options": ["a"]}})
    assert saved.status_code == 200
    assert saved.json()["saved_at"]
    assert put(learner_client, f"{url}/flags/2", {"flagged": True}).json()["flagged"]
    item = learner_client.get(url).json()["items"][1]
    assert item["response"] == {"options": ["a"]} and item["flagged"] is True


def test_client_clock_cannot_move_the_deadline(learner_client, cpc):
    state = start(learner_client)
    url = f"{API}/attempts/{state['id']}"
    put(
        learner_client,
        f"{url}/answers/1",
        {"response": {"options": ["a"]}, "deadline": "2099-01-01T00:00:00Z"},
    )
    assert (
        Attempt.objects.get(pk=state["id"])
        .deadline.isoformat()
        .startswith(state["deadline"][:19])
    )


@pytest.mark.parametrize(
    ("position", "data", "status", "message"),
    [
        (99, {"response": {"options": ["a"]}}, 404, ITEM_NOT_IN_ATTEMPT),
        (1, {"response": {"options": ["zz"]}}, 400, "Unknown option id: zz."),
        (1, {"response": "x" * 100_000}, 413, RESPONSE_TOO_LARGE),
        (1, {"nothing": 1}, 422, None),
    ],
)
def test_bad_saves(learner_client, cpc, position, data, status, message):
    state = start(learner_client)
    url = f"{API}/attempts/{state['id']}/answers"
    put(learner_client, f"{url}/1", {"response": {"options": ["c"]}})
    response = put(learner_client, f"{url}/{position}", data)
    assert response.status_code == status
    if message:
        assert response.json()["detail"] == message
    item = AttemptItem.objects.get(attempt_id=state["id"], position=1)
    assert item.response == {"options": ["c"]}


def test_others_attempt_is_404_everywhere(client, learner, other_learner, cpc):
    client.force_login(learner)
    attempt_id = start(client)["id"]
    client.force_login(other_learner)
    url = f"{API}/attempts/{attempt_id}"
    responses = [
        client.get(url),
        client.get(f"{url}/results"),
        client.post(f"{url}/submit"),
        put(client, f"{url}/answers/1", {"response": {"options": ["a"]}}),
        put(client, f"{url}/flags/1", {"flagged": True}),
        client.get(f"{API}/attempts/999999"),
    ]
    for response in responses:
        assert response.status_code == 404
        assert response.json()["detail"] == ATTEMPT_NOT_FOUND
    assert AttemptItem.objects.get(attempt_id=attempt_id, position=1).response is None


def test_anonymous_is_refused(client, cpc):
    assert client.post(f"{API}/test-cpc/attempts").status_code == 401


def test_submit_results_and_closed_saves(learner_client, cpc):
    state = start(learner_client)
    url = f"{API}/attempts/{state['id']}"
    put(learner_client, f"{url}/answers/2", {"response": {"options": ["a"]}})
    submitted = learner_client.post(f"{url}/submit")
    assert submitted.json()["status"] == "submitted"
    assert learner_client.post(f"{url}/submit").json() == submitted.json()
    late = put(learner_client, f"{url}/answers/1", {"response": {"options": ["b"]}})
    assert late.status_code == 409 and late.json()["detail"] == ATTEMPT_CLOSED
    late_flag = put(learner_client, f"{url}/flags/1", {"flagged": True})
    assert late_flag.status_code == 409
    assert late_flag.json()["detail"] == ATTEMPT_CLOSED
    assert not AttemptItem.objects.filter(attempt_id=state["id"], flagged=True)
    results = learner_client.get(f"{url}/results").json()
    assert results["grading"] is True and "percent" not in results
    attempt_grade(attempt_id=state["id"])
    results = learner_client.get(f"{url}/results").json()
    assert results["percent"] == pytest.approx(100 / 3, abs=0.01)
    assert results["passed"] is False
    review = results["state"]["items"][1]["review"]
    assert review["correct_options"] == ["a"]
    assert review["rationales"]["b"] == "No hyperglycemia documented."


def test_review_never_hides_answers(learner_client, exams):
    state = start(learner_client, "test-ccs")
    learner_client.post(f"{API}/attempts/{state['id']}/submit")
    attempt_grade(attempt_id=state["id"])
    results = learner_client.get(f"{API}/attempts/{state['id']}/results").json()
    assert results["state"] is None
    assert results["scaled_score"] == 100.0
    assert "rationale" not in json.dumps(results)


def test_reading_an_expired_attempt_finalises_it(learner_client, cpc):
    state = start(learner_client)
    deadline = timezone.now() - timedelta(minutes=5)
    Attempt.objects.filter(pk=state["id"]).update(deadline=deadline)
    fresh = learner_client.get(f"{API}/attempts/{state['id']}").json()
    assert fresh["status"] == "submitted" and fresh["remaining_seconds"] == 0
    assert Attempt.objects.get(pk=state["id"]).finished_at == deadline


def test_openapi_lists_the_exam_flow(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert f"{API}/attempts/{{attempt_id}}/answers/{{position}}" in paths


def test_ping_needs_a_session(learner_client):
    from django.test import Client

    assert Client().put(f"{API}/ping").status_code == 401
    assert learner_client.put(f"{API}/ping").json() == {"ok": True}
