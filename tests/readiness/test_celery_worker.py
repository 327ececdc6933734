"""A real worker runs the readiness update queued by a graded response."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from coderacademy.celery import app
from readiness.models import ReadinessSnapshot

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def test_graded_response_updates_readiness_on_a_worker(learner, answer):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        answer(learner, 3)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            snapshot = ReadinessSnapshot.objects.filter(learner=learner).first()
            if snapshot is not None and snapshot.responses == 3:
                break
            time.sleep(0.2)
    assert snapshot is not None and snapshot.responses == 3
