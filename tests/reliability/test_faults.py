"""The fault-injection suite of issue #15 on the production stack: gunicorn,
PostgreSQL, Redis and real Celery worker processes. Each test reports its figures
in the run's summary (5xx answers, acknowledged answers lost, seconds from the
fault's end to graded).

The sweep runs here every second with `EXAMS_GRADING_RETRY_SECONDS=5`, standing in
for beat (every 30 s, retry after 60 s), so a run takes seconds; production's
bound is that retry age plus one sweep interval plus grading: about 91 s."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from coderacademy.celery import app
from exams.models import Attempt
from exams.services import attempt_start, attempt_submit, attempts_finalise_expired
from tests.exams.test_worker_kill import (
    Burst,
    Tab,
    answered,
    database_url,
    logged_in,
    lost_answers,
)
from tests.reliability.conftest import CLOSED_PORT_URL
from tests.support.gunicorn import gunicorn_start, gunicorn_stop

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parent.parent.parent
RETRY_SECONDS = 5
SWEEP_EVERY_SECONDS = 1
# Issue #15's target: every submitted attempt graded this soon after a fault ends.
CATCH_UP_SECONDS = 120
WAIT_SECONDS = 30
SAVES = 40


def sweep_until_graded(attempt_ids: list[int]) -> float:
    """Run the sweep every second, as beat would, until every attempt is graded;
    the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < CATCH_UP_SECONDS:
        attempts_finalise_expired()
        graded = Attempt.objects.filter(
            pk__in=attempt_ids, status=Attempt.Status.GRADED
        ).count()
        if graded == len(attempt_ids):
            break
        time.sleep(SWEEP_EVERY_SECONDS)
    return time.monotonic() - started


def test_redis_down_no_5xx_no_answer_lost_then_graded(
    settings, tmp_path, figure, cpc, learner, other_learner
):
    settings.EXAMS_GRADING_RETRY_SECONDS = RETRY_SECONDS
    process, port = gunicorn_start(
        database_url(),
        ["--workers=2", "--worker-class=gthread", "--threads=4"],
        ready=answered,
        timeout=60,
        env={
            "DJANGO_SETTINGS_MODULE": "coderacademy.settings.test",
            "TMPDIR": str(tmp_path),
            # Cache, sessions and broker all on a Redis that is not there.
            "REDIS_URL": CLOSED_PORT_URL,
        },
    )
    statuses = []
    try:
        clients = []
        for user in (learner, other_learner):
            tab = Tab(port, logged_in(user))
            status, attempt = tab.request("POST", f"/api/exams/{cpc.slug}/attempts")
            statuses.append(status)
            positions = [item["position"] for item in attempt["items"]]
            clients.append((tab, attempt["id"], positions))
        burst = Burst()
        threads = [
            threading.Thread(target=burst.save_until_stopped, args=client)
            for client in clients
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        burst.wait_for_acks(since=started, count=SAVES)
        burst.stop.set()
        for thread in threads:
            thread.join(timeout=WAIT_SECONDS)
        for tab, attempt_id, _ in clients:
            status, _ = tab.request("POST", f"/api/exams/attempts/{attempt_id}/submit")
            statuses.append(status)
            status, _ = tab.request("GET", f"/api/exams/attempts/{attempt_id}/results")
            statuses.append(status)
            tab.close()
    finally:
        gunicorn_stop(process)

    errors = [s for s in statuses if s >= 500] + [
        u for u in burst.unexpected if isinstance(u, tuple) and u[0] >= 500
    ]
    lost = lost_answers(burst.acknowledged)
    attempt_ids = [attempt_id for _, attempt_id, _ in clients]
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        to_graded = sweep_until_graded(attempt_ids)
    figure(
        f"Redis down: {burst.acks_since(started)} saves acknowledged, "
        f"{len(errors)} 5xx, {len(lost)} answers lost; graded "
        f"{to_graded:.1f} s after Redis came back (sweep retry after "
        f"{RETRY_SECONDS} s, run every {SWEEP_EVERY_SECONDS} s)"
    )
    assert errors == [] and burst.unexpected == []
    assert burst.acks_since(started) >= SAVES
    assert lost == []
    assert statuses == [200] * len(statuses)
    assert to_graded < CATCH_UP_SECONDS
    assert Attempt.objects.filter(
        pk__in=attempt_ids, status=Attempt.Status.GRADED
    ).count() == len(attempt_ids)


def worker_start(tmp_path) -> subprocess.Popen:
    """A Celery worker process on the test database and the configured Redis."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "coderacademy",
            "worker",
            "-Q",
            "exams,bulk",
            "--concurrency=1",
            "--loglevel=warning",
            f"--hostname=fault-{time.monotonic_ns()}@%h",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "coderacademy.settings.test",
            "TMPDIR": str(tmp_path),
        },
        start_new_session=True,
    )


def worker_kill(worker: subprocess.Popen) -> None:
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=WAIT_SECONDS)


def waiting_on_a_lock(db: psycopg.Connection) -> bool:
    return (
        db.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()[0]
        > 0
    )


def test_a_worker_killed_mid_grading_is_caught_up_by_the_sweep(
    settings, tmp_path, figure, cpc, learner
):
    settings.EXAMS_GRADING_RETRY_SECONDS = RETRY_SECONDS
    attempt = attempt_start(learner=learner, blueprint=cpc)
    attempt_submit(learner=learner, attempt_id=attempt.pk)
    params = connection.get_connection_params()
    first = None
    with (
        psycopg.connect(**params) as holder,
        psycopg.connect(**params, autocommit=True) as watcher,
    ):
        # Holding the attempt's row keeps the worker inside the grading task.
        holder.execute(
            "SELECT id FROM exams_attempt WHERE id = %s FOR UPDATE", [attempt.pk]
        )
        first = worker_start(tmp_path)
        deadline = time.monotonic() + WAIT_SECONDS * 2
        while not waiting_on_a_lock(watcher) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert waiting_on_a_lock(watcher), "the worker never started grading"
        worker_kill(first)
        killed = time.monotonic()
        holder.rollback()
    second = worker_start(tmp_path)
    try:
        to_graded = sweep_until_graded([attempt.pk])
    finally:
        worker_kill(second)
    since_kill = time.monotonic() - killed
    figure(
        f"worker kill -9 mid-grading: graded {since_kill:.1f} s after the kill "
        f"(sweep retry after {RETRY_SECONDS} s, run every {SWEEP_EVERY_SECONDS} s; "
        f"{to_graded:.1f} s of sweeping)"
    )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert since_kill < CATCH_UP_SECONDS
