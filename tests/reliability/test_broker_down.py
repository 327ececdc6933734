"""The broker unreachable: submitting answers still succeeds (the attempt is kept
as submitted), the results page says grading is delayed once it waited longer
than grading takes, and the sweep queues the grading again (issue #15). These
commit for real, so grading is queued after the commit as in production."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from kombu.exceptions import OperationalError

from exams import tasks
from exams.models import Attempt
from exams.services import attempt_start, attempts_finalise_expired

API = "/api/exams"
pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_submit_is_200_and_kept_while_the_broker_is_down(broker_down, learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    with pytest.raises(OperationalError):  # the fault is real
        tasks.attempt_grade_task.delay(attempt.pk)
    response = signed_in(learner).post(f"{API}/attempts/{attempt.pk}/submit")
    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED


def test_the_results_page_says_grading_is_delayed(settings, learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    Attempt.objects.filter(pk=attempt.pk).update(
        status=Attempt.Status.SUBMITTED, finished_at=timezone.now()
    )
    client = signed_in(learner)
    page = f"/exams/attempts/{attempt.pk}/results/"
    assert "Grading is delayed" not in client.get(page).content.decode()
    Attempt.objects.filter(pk=attempt.pk).update(
        finished_at=timezone.now()
        - timedelta(seconds=settings.EXAMS_GRADING_RETRY_SECONDS + 1)
    )
    assert "Grading is delayed" in client.get(page).content.decode()
    results = client.get(f"{API}/attempts/{attempt.pk}/results").json()
    assert results["grading_delayed"] is True


def test_the_sweep_queues_grading_again_after_the_configured_age(
    settings, monkeypatch, learner, other_learner, cpc
):
    settings.EXAMS_GRADING_RETRY_SECONDS = 60
    queued = []
    monkeypatch.setattr(tasks.attempt_grade_task, "delay", queued.append)
    waiting, fresh = (
        attempt_start(learner=user, blueprint=cpc) for user in (learner, other_learner)
    )
    now = timezone.now()
    for attempt, age in ((waiting, 61), (fresh, 30)):
        Attempt.objects.filter(pk=attempt.pk).update(
            status=Attempt.Status.SUBMITTED, finished_at=now - timedelta(seconds=age)
        )
    attempts_finalise_expired()
    assert queued == [waiting.pk]


def test_the_sweep_survives_the_broker_being_down(broker_down, learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(hours=1)
    )
    assert attempts_finalise_expired() == 1
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
