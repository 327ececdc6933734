"""Saves on exam day, over HTTP: a save sent again after its reply was lost is
answered with the stored state instead of being refused, only an older save of a
different answer is stale, and `sequence` is a bounded whole number."""

import json

import pytest
from django.urls import reverse

from exams.errors import ATTEMPT_NOT_FOUND, MAX_SEQUENCE, SEQUENCE_INVALID, STALE_SAVE
from exams.models import AttemptItem

pytestmark = pytest.mark.django_db

API = "/api/exams"


def start(client):
    response = client.post(f"{API}/test-cpc/attempts")
    assert response.status_code == 200, response.content
    return response.json()["id"]


def save(client, attempt_id, options, sequence, *, time_spent=None):
    body = {"response": {"options": options}, "sequence": sequence}
    if time_spent is not None:
        body["time_spent_seconds"] = time_spent
    return client.put(
        f"{API}/attempts/{attempt_id}/answers/1",
        json.dumps(body),
        content_type="application/json",
    )


def stored(attempt_id):
    return AttemptItem.objects.values(
        "response", "sequence", "saved_at", "time_spent_seconds"
    ).get(attempt_id=attempt_id, position=1)


def test_the_same_save_sent_again_answers_the_stored_state(learner_client, cpc):
    attempt_id = start(learner_client)
    first = save(learner_client, attempt_id, ["b"], 1_800_000_000_000, time_spent=9)
    assert first.status_code == 200
    before = stored(attempt_id)

    again = save(learner_client, attempt_id, ["b"], 1_800_000_000_000, time_spent=9)

    assert again.status_code == 200, again.content
    assert again.json() == first.json() | {
        "remaining_seconds": again.json()["remaining_seconds"]
    }
    # Nothing is written twice: not the time, not the seconds spent.
    assert stored(attempt_id) == before


def test_an_older_save_of_the_stored_answer_is_already_held(learner_client, cpc):
    attempt_id = start(learner_client)
    assert save(learner_client, attempt_id, ["a"], 100).status_code == 200
    assert save(learner_client, attempt_id, ["b"], 200).status_code == 200
    assert save(learner_client, attempt_id, ["a"], 300).status_code == 200
    before = stored(attempt_id)

    late = save(learner_client, attempt_id, ["a"], 100)

    assert late.status_code == 200
    assert stored(attempt_id) == before


@pytest.mark.parametrize("sequence", [199, 200], ids=["older", "same"])
def test_a_save_not_newer_with_another_answer_is_stale(learner_client, cpc, sequence):
    attempt_id = start(learner_client)
    assert save(learner_client, attempt_id, ["b"], 200).status_code == 200

    late = save(learner_client, attempt_id, ["c"], sequence)

    assert late.status_code == 409 and late.json()["detail"] == STALE_SAVE
    assert stored(attempt_id)["response"] == {"options": ["b"]}
    assert stored(attempt_id)["sequence"] == 200


def test_a_page_save_sent_again_is_saved(learner_client, cpc):
    """The exam page's own path (the form POST its script sends)."""
    attempt_id = start(learner_client)
    url = reverse("exams:question", args=[attempt_id, 1])
    body = {"options": ["d"], "sequence": "1800000000123"}
    for _ in range(2):
        reply = learner_client.post(url, body, HTTP_ACCEPT="application/json")
        assert reply.status_code == 200 and reply.json()["saved"] is True
    assert stored(attempt_id)["response"] == {"options": ["d"]}
    # The page's saves count no time: its page views keep the time
    # (tests/exams/test_time_per_question.py).
    assert stored(attempt_id)["time_spent_seconds"] == 0


@pytest.mark.parametrize(
    "sequence",
    [2**63, 2**70, MAX_SEQUENCE + 1, -1, 0, 12.5, 1e15, "12", "soon", True, [1]],
    ids=[
        "2^63",
        "2^70",
        "2^53",
        "minus-one",
        "zero",
        "fraction",
        "float",
        "numeric-string",
        "string",
        "boolean",
        "list",
    ],
)
def test_a_sequence_out_of_range_or_not_an_integer_is_400(
    learner_client, cpc, sequence
):
    attempt_id = start(learner_client)
    assert save(learner_client, attempt_id, ["a"], 5).status_code == 200

    refused = save(learner_client, attempt_id, ["b"], sequence)

    assert refused.status_code == 400, refused.content
    assert refused.json()["detail"] == SEQUENCE_INVALID
    assert stored(attempt_id)["response"] == {"options": ["a"]}


@pytest.mark.parametrize("sequence", ["-1", "9" * 30, "1.5", "soon"])
def test_the_page_path_refuses_a_bad_sequence_too(learner_client, cpc, sequence):
    attempt_id = start(learner_client)
    refused = learner_client.post(
        reverse("exams:question", args=[attempt_id, 1]),
        {"options": ["a"], "sequence": sequence},
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == SEQUENCE_INVALID
    assert stored(attempt_id)["response"] is None


def test_the_largest_sequence_is_accepted_and_then_only_repeated(learner_client, cpc):
    attempt_id = start(learner_client)
    assert save(learner_client, attempt_id, ["a"], MAX_SEQUENCE).status_code == 200
    assert save(learner_client, attempt_id, ["a"], MAX_SEQUENCE).status_code == 200
    assert save(learner_client, attempt_id, ["b"], MAX_SEQUENCE).status_code == 409
    assert stored(attempt_id)["sequence"] == MAX_SEQUENCE


def test_another_learner_sending_the_same_save_gets_404(
    client, learner, other_learner, cpc
):
    client.force_login(learner)
    attempt_id = start(client)
    assert save(client, attempt_id, ["a"], 7).status_code == 200
    client.force_login(other_learner)

    response = save(client, attempt_id, ["a"], 7)

    assert response.status_code == 404
    assert response.json()["detail"] == ATTEMPT_NOT_FOUND


@pytest.mark.django_db(transaction=True)
def test_the_same_save_sent_twice_at_once_is_saved_for_both(learner, cpc):
    """A page's retry can reach the server while its first try is still being
    written: whichever loses the guarded UPDATE still answers 200."""
    from django.test import Client

    from tests.exams.test_reliability import run_threads

    clients = [Client(), Client()]
    for client in clients:
        client.force_login(learner)
    attempt_id = start(clients[0])
    statuses = []
    for round_number in range(1, 11):

        def send(client, sequence=round_number):
            reply = save(client, attempt_id, ["abcd"[sequence % 4]], sequence)
            statuses.append(reply.status_code)

        run_threads([lambda c=client: send(c) for client in clients])
    assert statuses == [200] * 20
    assert stored(attempt_id)["sequence"] == 10
