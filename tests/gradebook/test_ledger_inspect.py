"""The Wagtail admin's inspect view of a graded response reads as words: status
counts "3 exact, 1 partial" and time spent "2 min 5 s", not a dict and a number."""

import re

import pytest

from grading.factories import GradedResponseFactory

pytestmark = pytest.mark.django_db

FIELD = re.compile(r"<dt>([^<]+)</dt>\s*<dd>\s*(.*?)\s*</dd>", re.S)


@pytest.mark.parametrize(
    ("time_spent", "shown"),
    [(3, "3 s"), (125, "2 min 5 s"), (3720, "1 h 2 min"), (None, "-")],
)
def test_the_inspect_view_shows_counts_and_time_in_words(
    instructor_client, learner, time_spent, shown
):
    row = GradedResponseFactory(learner=learner, time_spent=time_spent)
    reply = instructor_client.get(f"/admin/graded_responses/inspect/{row.pk}/")
    assert reply.status_code == 200
    fields = dict(FIELD.findall(reply.content.decode()))
    assert fields["Status counts"] == "3 exact, 1 partial"
    assert fields["Time spent"] == shown
