"""The demo exams in exams/demo/ load, and each can be started, left, resumed and
submitted through the pages; the dashboard shows them. (Loading twice is tested
on the small test bank in test_services.)"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from exams.models import Attempt, Blueprint, Question


def load() -> str:
    out = StringIO()
    call_command("load_demo_exams", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_exams_load_twice_and_can_be_taken(learner_client):
    assert "Loaded" in load()
    assert Question.objects.count() >= 100
    assert learner_client.get(reverse("exams:index")).status_code == 200
    for blueprint in Blueprint.objects.all():
        start_url = reverse("exams:start", args=[blueprint.slug])
        assert learner_client.get(start_url).status_code == 200
        learner_client.post(start_url)
        attempt = Attempt.objects.get(blueprint=blueprint, status="in_progress")
        assert attempt.items.count() > 0
        first = learner_client.get(reverse("exams:question", args=[attempt.pk, 1]))
        assert first.status_code == 200
        # Leaving and coming back resumes the same attempt.
        learner_client.post(start_url)
        assert Attempt.objects.filter(blueprint=blueprint).count() == 1
        last = attempt.items.count()
        page = learner_client.get(reverse("exams:question", args=[attempt.pk, last]))
        assert page.status_code == 200
        learner_client.post(reverse("exams:submit", args=[attempt.pk]))
        attempt.refresh_from_db()
        assert attempt.status == "submitted"
    dashboard = learner_client.get("/dashboard/").content.decode()
    assert "Mock exams" in dashboard and "grading…" in dashboard
