"""Instructors author exam content and grant accommodations in the Wagtail admin;
an accommodation saved there moves the deadline of an attempt in progress."""

from datetime import timedelta

import pytest

from exams.models import Accommodation
from exams.services import attempt_start

SNIPPETS = "/admin/snippets/exams"


@pytest.mark.parametrize("model", ["question", "blueprint", "accommodation"])
def test_instructor_sees_the_exam_snippets(instructor_client, exams, model):
    response = instructor_client.get(f"{SNIPPETS}/{model}/")
    assert response.status_code == 200


def test_learner_cannot_open_the_admin(learner_client, exams):
    assert learner_client.get(f"{SNIPPETS}/question/").status_code in (302, 403)


def test_accommodation_in_the_admin_moves_a_running_deadline(
    instructor_client, learner, cpc
):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    response = instructor_client.post(
        f"{SNIPPETS}/accommodation/add/",
        {
            "learner": learner.pk,
            "blueprint": cpc.pk,
            "extra_minutes": "15",
            "time_multiplier": "1",
            "extra_attempts": "0",
            "note": "Documented accommodation",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert Accommodation.objects.get().extra_minutes == 15
    attempt.refresh_from_db()
    assert attempt.deadline == attempt.started_at + timedelta(minutes=45)
