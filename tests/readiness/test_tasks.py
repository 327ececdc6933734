import pytest

from readiness import tasks
from readiness.models import ItemCalibration, ReadinessSnapshot

pytestmark = pytest.mark.django_db


def test_recalibration_task_refreshes_every_learner(
    learner, other_learner, answer, monkeypatch
):
    answer(learner, 3)
    answer(other_learner, 3, score=0.0)
    refreshed = []
    monkeypatch.setattr(
        tasks.learner_readiness_refresh_task,
        "delay",
        lambda learner_id: (
            refreshed.append(learner_id)
            or tasks.learner_readiness_refresh_task.run(learner_id)
        ),
    )
    assert tasks.items_recalibrate_task.run() == 2
    assert sorted(refreshed) == sorted([learner.pk, other_learner.pk])
    assert ItemCalibration.objects.exists()
    assert ReadinessSnapshot.objects.count() == 2


def test_update_task_ignores_a_deleted_response(db):
    tasks.readiness_update_task.run(999999)
    assert not ReadinessSnapshot.objects.exists()
