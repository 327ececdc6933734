"""A real worker consumes from the configured broker (Redis in CI, the filesystem
transport on the embedded default) and runs a task end to end."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache

from coderacademy.celery import app
from core.tasks import HEARTBEAT_CACHE_KEY, record_worker_heartbeat

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def test_worker_runs_the_heartbeat_task_and_healthz_reports_it(client):
    cache.delete(HEARTBEAT_CACHE_KEY)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        record_worker_heartbeat.delay()
        deadline = time.monotonic() + 20
        while cache.get(HEARTBEAT_CACHE_KEY) is None and time.monotonic() < deadline:
            time.sleep(0.2)
    assert cache.get(HEARTBEAT_CACHE_KEY) is not None
    assert client.get("/healthz").json()["worker_heartbeat"] == cache.get(
        HEARTBEAT_CACHE_KEY
    )
