"""Races and abuse around time: concurrent submits with saves in flight, two tabs,
saves after the deadline, a client clock far off, and the beat sweep on a real
Celery worker. Threads use their own database connections, so these run in
transactions that commit (PostgreSQL in CI; SQLite serialises them locally)."""

import json
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from exams.errors import ATTEMPT_CLOSED
from exams.models import Attempt, AttemptItem
from exams.services import attempt_start

API = "/api/exams"
transactional = pytest.mark.django_db(transaction=True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def save(client, attempt_id, position, options, **extra):
    return client.put(
        f"{API}/attempts/{attempt_id}/answers/{position}",
        json.dumps({"response": {"options": options}}),
        content_type="application/json",
        **extra,
    )


def run_threads(targets) -> None:
    barrier = threading.Barrier(len(targets))

    def wrapped(target):
        try:
            barrier.wait()
            target()
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


@transactional
def test_fifty_submits_with_saves_in_flight(learner, cpc, monkeypatch):
    from exams import tasks

    enqueued = []
    monkeypatch.setattr(tasks.attempt_grade_task, "delay", enqueued.append)
    attempt = attempt_start(learner=learner, blueprint=cpc)
    acknowledged: dict[int, list] = {}
    lock = threading.Lock()
    submit_statuses = []

    def submitter():
        response = client_for(learner).post(f"{API}/attempts/{attempt.pk}/submit")
        with lock:
            submit_statuses.append(response.status_code)

    def saver(position, options):
        def run():
            client = client_for(learner)
            for _ in range(30):
                response = save(client, attempt.pk, position, options)
                if response.status_code != 200:
                    assert response.status_code == 409
                    assert response.json()["detail"] == ATTEMPT_CLOSED
                    return
                with lock:
                    acknowledged[position] = options

        return run

    savers = [saver(1, ["a"]), saver(2, ["b"]), saver(3, ["c", "d"])]
    run_threads([submitter] * 50 + savers)

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert submit_statuses == [200] * 50
    assert enqueued == [attempt.pk]
    stored = {
        item.position: item.response
        for item in AttemptItem.objects.filter(attempt=attempt)
    }
    for position, options in acknowledged.items():
        assert stored[position] == {"options": options}
    late = save(client_for(learner), attempt.pk, 4, ["a"])
    assert late.status_code == 409
    assert AttemptItem.objects.get(attempt=attempt, position=4).response is None


@transactional
def test_two_tabs_start_together_and_answer_alternately(learner, cpc):
    started = []

    def tab():
        response = client_for(learner).post(f"{API}/test-cpc/attempts")
        started.append(response.json()["id"])

    run_threads([tab] * 8)
    assert len(set(started)) == 1
    assert Attempt.objects.filter(learner=learner).count() == 1
    first, second = client_for(learner), client_for(learner)
    for round_number, (client, options) in enumerate(
        [(first, ["a"]), (second, ["b"]), (first, ["c"]), (second, ["d"])]
    ):
        assert (
            save(client, started[0], 1 + round_number % 2, options).status_code == 200
        )
    state = second.get(f"{API}/attempts/{started[0]}").json()
    assert [i["response"] for i in state["items"][:2]] == [
        {"options": ["c"]},
        {"options": ["d"]},
    ]


@pytest.mark.django_db
def test_save_after_deadline_is_refused_over_http(learner_client, cpc):
    state = learner_client.post(f"{API}/test-cpc/attempts").json()
    save(learner_client, state["id"], 1, ["a"])
    Attempt.objects.filter(pk=state["id"]).update(
        deadline=timezone.now() - timedelta(minutes=2)
    )
    late = save(learner_client, state["id"], 1, ["b"])
    assert late.status_code == 409 and late.json()["detail"] == ATTEMPT_CLOSED
    assert AttemptItem.objects.get(attempt_id=state["id"], position=1).response == {
        "options": ["a"]
    }


@pytest.mark.django_db
def test_a_client_clock_hours_off_changes_nothing(learner_client, cpc):
    """The server never reads the client's time: a Date header and a body field
    claiming another time leave the deadline and remaining time as they were."""
    state = learner_client.post(f"{API}/test-cpc/attempts").json()
    skewed = (timezone.now() - timedelta(hours=7)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    response = learner_client.put(
        f"{API}/attempts/{state['id']}/answers/1",
        json.dumps({"response": {"options": ["a"]}, "client_time": skewed}),
        content_type="application/json",
        HTTP_DATE=skewed,
    )
    assert response.status_code == 200
    assert 29 * 60 < response.json()["remaining_seconds"] <= 30 * 60
    attempt = Attempt.objects.get(pk=state["id"])
    assert attempt.deadline == attempt.started_at + timedelta(minutes=30)
    timed_out = learner_client.post(f"{API}/attempts/{state['id']}/timeout")
    assert timed_out.json()["status"] == "in_progress"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_beat_sweep_on_a_worker_finalises_and_grades(learner, cpc):
    from celery.contrib.testing.worker import start_worker

    from coderacademy.celery import app
    from exams.tasks import attempts_finalise_expired_task

    attempt = attempt_start(learner=learner, blueprint=cpc)
    AttemptItem.objects.filter(attempt=attempt, position=2).update(
        response={"options": ["a"]}
    )
    deadline = timezone.now() - timedelta(hours=1)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=deadline)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        attempts_finalise_expired_task.delay()
        wait_until = time.monotonic() + 30
        while time.monotonic() < wait_until:
            attempt.refresh_from_db()
            if attempt.status == Attempt.Status.GRADED:
                break
            time.sleep(0.2)
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.finished_at == deadline
    assert attempt.submitted_by == "sweep"
    assert attempt.points == 1
