"""The exam page's script saves each answer by posting the question's form to its
page, asking for JSON. That save costs what the API's save costs (the item's read
and the guarded write), not a question page's work, and refuses what the API
refuses: an older save, a closed attempt, an answer that does not fit, another
learner's attempt. What it costs is pinned in test_query_counts.py."""

import json

import pytest
from django.urls import reverse

from exams.models import Attempt, AttemptItem

API = "/api/exams"


@pytest.fixture
def attempt_id(learner_client, cpc) -> int:
    return learner_client.post(f"{API}/test-cpc/attempts").json()["id"]


def page_save(client, attempt_id, position, data):
    return client.post(
        reverse("exams:question", args=[attempt_id, position]),
        data,
        HTTP_ACCEPT="application/json",
    )


def stored(attempt_id, position) -> AttemptItem:
    return AttemptItem.objects.get(attempt_id=attempt_id, position=position)


def test_the_flag_is_written_when_it_changed(learner_client, attempt_id):
    data = {"options": "b", "sequence": 3, "flag_shown": "1", "flag": "on"}
    assert page_save(learner_client, attempt_id, 3, data).status_code == 200
    assert stored(attempt_id, 3).flagged is True
    data = {"options": "b", "sequence": 4, "flag_shown": "1"}
    assert page_save(learner_client, attempt_id, 3, data).status_code == 200
    assert stored(attempt_id, 3).flagged is False


def test_an_older_save_changes_nothing(learner_client, attempt_id):
    page_save(learner_client, attempt_id, 2, {"options": "b", "sequence": 6})
    late = page_save(learner_client, attempt_id, 2, {"options": "c", "sequence": 4})
    assert late.status_code == 409 and late.json()["closed"] is False
    again = page_save(learner_client, attempt_id, 2, {"options": "b", "sequence": 6})
    assert again.status_code == 200
    assert stored(attempt_id, 2).response == {"options": ["b"]}


def test_an_unknown_option_is_refused_with_its_reason(learner_client, attempt_id):
    refused = page_save(learner_client, attempt_id, 2, {"options": "z"})
    assert refused.status_code == 400 and "z" in refused.json()["detail"]
    assert stored(attempt_id, 2).response is None


def test_a_submitted_attempt_refuses_saves_as_closed(learner_client, attempt_id):
    Attempt.objects.filter(pk=attempt_id).update(status=Attempt.Status.SUBMITTED)
    closed = page_save(learner_client, attempt_id, 2, {"options": "c", "sequence": 3})
    assert closed.status_code == 409 and closed.json()["closed"] is True
    assert stored(attempt_id, 2).response is None


def test_another_learner_gets_a_404(learner_client, other_learner_client, attempt_id):
    page = page_save(other_learner_client, attempt_id, 2, {"options": "b"})
    assert page.status_code == 404
    assert stored(attempt_id, 2).response is None


def test_an_empty_form_leaves_an_unanswered_item_unanswered(learner_client, attempt_id):
    data = {"sequence": 2, "flag_shown": "1", "flag": "on"}
    assert page_save(learner_client, attempt_id, 4, data).status_code == 200
    item = stored(attempt_id, 4)
    assert (item.response, item.flagged) == (None, True)


def test_the_api_and_the_page_save_the_same_answer(learner_client, attempt_id):
    learner_client.put(
        f"{API}/attempts/{attempt_id}/answers/1",
        json.dumps({"response": {"options": ["a"]}, "sequence": 1}),
        content_type="application/json",
    )
    from_api = stored(attempt_id, 1).response
    page_save(learner_client, attempt_id, 2, {"options": "a", "sequence": 1})
    assert stored(attempt_id, 2).response == from_api == {"options": ["a"]}
