"""Beat is not a single point of failure for deadlines: with no sweep at all, an
expired attempt is finalised by the learner's next request, answers kept; and a
second sweep started beside the first (a second beat) leaves the work to the
sweep that holds the site lock (issue #15)."""

from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from exams.models import Attempt, AttemptItem
from exams.services import attempt_start, attempts_finalise_expired

API = "/api/exams"


def expired(attempt) -> None:
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(hours=1)
    )


@pytest.mark.django_db
def test_an_expired_attempt_is_finalised_with_beat_stopped(learner, cpc):
    attempt = attempt_start(learner=learner, blueprint=cpc)
    AttemptItem.objects.filter(attempt=attempt, position=2).update(
        response={"options": ["a"]}
    )
    expired(attempt)
    client = Client()
    client.force_login(learner)

    state = client.get(f"{API}/attempts/{attempt.pk}").json()

    assert state["status"] == Attempt.Status.SUBMITTED
    attempt.refresh_from_db()
    assert attempt.submitted_by == "timeout"
    assert attempt.finished_at == attempt.deadline
    assert attempt.items.get(position=2).response == {"options": ["a"]}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_sweep_leaves_the_work_to_the_one_holding_the_lock(learner, cpc):
    from core.locks import lock_key

    attempt = attempt_start(learner=learner, blueprint=cpc)
    expired(attempt)
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other_beat:
        other_beat.execute(
            "SELECT pg_advisory_lock(%s)",
            [lock_key("exams.attempts_finalise_expired")],
        )
        assert attempts_finalise_expired() == 0
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.IN_PROGRESS
        # Released here, not by the close: the server ends the closed session's
        # backend, and frees its lock, only a moment later.
        other_beat.execute(
            "SELECT pg_advisory_unlock(%s)",
            [lock_key("exams.attempts_finalise_expired")],
        )
    assert attempts_finalise_expired() == 1
