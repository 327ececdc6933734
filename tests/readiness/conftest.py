import pytest

from certifications.models import Certification
from grading.factories import ExamItemResponseFactory


@pytest.fixture
def cpc(db):
    return Certification.objects.get(slug="cpc")


@pytest.fixture
def answer(cpc):
    """Record graded answers: answer(learner, n, right=True, domain=slug)."""
    counter = {"n": 0}

    def record(learner, n=1, *, score=1.0, domain="cpc-evaluation-management", **kw):
        rows = []
        for _ in range(n):
            counter["n"] += 1
            k = counter["n"]
            rows.append(
                ExamItemResponseFactory(
                    learner=learner,
                    attempt_ref=f"test:{learner.pk}:{k}",
                    domains=cpc.domains.filter(slug=domain),
                    points=score,
                    item_id=str(k % 7),
                    **kw,
                )
            )
        return rows

    return record


@pytest.fixture
def queued(monkeypatch):
    """Celery tasks queued by the readiness receiver, run in-process instead."""
    from readiness import tasks

    calls = []

    def delay(graded_response_id):
        calls.append(graded_response_id)
        tasks.readiness_update_task.run(graded_response_id)

    monkeypatch.setattr(tasks.readiness_update_task, "delay", delay)
    return calls
