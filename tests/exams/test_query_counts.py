"""The exam day's hot requests cost a fixed, small number of queries, whatever the
number of questions: starting (or resuming), a question page and a save.

The figures count every statement the test client's request runs, the signed-in
user's and the session's included (the test settings keep sessions in the
database; production reads them from Redis). A change that adds a query per item
or per request fails here; docs/exams.md has what each request costs under load.
"""

import json

import pytest
from django.urls import reverse

from exams.models import AttemptItem

API = "/api/exams"

# session, user, blueprint, open attempt, attempts used, accommodations (twice),
# question ids, option orders, the attempt and its items (in a savepoint), then
# the outline (navigation) and the first question with its options.
START_QUERIES = 16
# Resuming: no drawing and no inserts.
RESUME_QUERIES = 8
# session, user, attempt, the item with its question, its options and the
# navigation (the site header's permission check costs none for a learner), and
# the time clock: its compare-and-set and the seconds added to the question left.
PAGE_QUERIES = 8
# session, user, the item's read and the guarded write.
SAVE_QUERIES = 4


def test_start_and_resume(learner_client, cpc, django_assert_max_num_queries):
    with django_assert_max_num_queries(START_QUERIES):
        started = learner_client.post(f"{API}/test-cpc/attempts")
    assert started.status_code == 200
    with django_assert_max_num_queries(RESUME_QUERIES):
        resumed = learner_client.post(f"{API}/test-cpc/attempts")
    assert resumed.json()["id"] == started.json()["id"]


@pytest.mark.parametrize("position", [1, 4])
def test_question_page(learner_client, cpc, django_assert_max_num_queries, position):
    attempt_id = learner_client.post(f"{API}/test-cpc/attempts").json()["id"]
    url = reverse("exams:question", args=[attempt_id, position])
    with django_assert_max_num_queries(PAGE_QUERIES):
        page = learner_client.get(url)
    assert page.status_code == 200


def test_save(learner_client, cpc, django_assert_max_num_queries):
    attempt_id = learner_client.post(f"{API}/test-cpc/attempts").json()["id"]
    with django_assert_max_num_queries(SAVE_QUERIES):
        saved = learner_client.put(
            f"{API}/attempts/{attempt_id}/answers/2",
            json.dumps({"response": {"options": ["a"]}, "sequence": 1}),
            content_type="application/json",
        )
    assert saved.status_code == 200
    item = AttemptItem.objects.get(attempt_id=attempt_id, position=2)
    assert item.response == {"options": ["a"]}


def test_a_save_from_the_page_costs_what_the_api_save_costs(
    learner_client, cpc, django_assert_max_num_queries
):
    """The page's script posts the question's form to its page, asking for JSON:
    the save alone, not the page's attempt, item state and options."""
    attempt_id = learner_client.post(f"{API}/test-cpc/attempts").json()["id"]
    with django_assert_max_num_queries(SAVE_QUERIES):
        saved = learner_client.post(
            reverse("exams:question", args=[attempt_id, 3]),
            {"options": "b", "sequence": 2, "flag_shown": "1"},
            HTTP_ACCEPT="application/json",
        )
    assert saved.status_code == 200
    assert saved.json()["saved"] is True and saved.json()["remaining_seconds"] > 0
    item = AttemptItem.objects.get(attempt_id=attempt_id, position=3)
    assert (item.response, item.sequence) == ({"options": ["b"]}, 2)
    assert item.flagged is False
