"""Exam work ahead of bulk work: exam tasks have their own queue, a submitted
attempt queues one readiness update (not one per item), and a worker consuming
both queues runs the sweep and the grading while a backlog of bulk work waits."""

import threading
from datetime import timedelta

import pytest
from celery.signals import before_task_publish, task_postrun
from django.utils import timezone

from coderacademy.celery import app
from exams.models import Attempt, AttemptItem
from exams.services import attempt_start
from exams.tasks import attempt_grade_task, attempts_finalise_expired_task
from grading.models import GradedResponse
from readiness.models import ReadinessSnapshot
from readiness.tasks import learner_readiness_refresh_task, readiness_update_task

API = "/api/exams"
READINESS_TASKS = {learner_readiness_refresh_task.name, readiness_update_task.name}
# Enough bulk work that, queued ahead in one queue, it would run for a while.
BACKLOG = 200
# Bounds on waiting for the worker, so a broken setup fails instead of hanging.
WAIT_SECONDS = 120


def queue_of(task) -> str:
    return app.amqp.router.route({}, task.name)["queue"].name


def test_exam_tasks_have_their_own_queue_and_the_rest_is_bulk():
    assert queue_of(attempt_grade_task) == "exams"
    assert queue_of(attempts_finalise_expired_task) == "exams"
    assert queue_of(readiness_update_task) == "bulk"
    assert queue_of(learner_readiness_refresh_task) == "bulk"
    # A worker started without -Q (and the Procfile's `-Q exams,bulk`) takes both.
    assert set(app.amqp.queues.consume_from) == {"exams", "bulk"}


def answer_every_question(client, attempt_id: int) -> int:
    items = AttemptItem.objects.filter(attempt_id=attempt_id)
    for position in items.values_list("position", flat=True):
        saved = client.post(
            f"/exams/attempts/{attempt_id}/questions/{position}/",
            {"options": ["a"], "diagnoses": "E11.9"},
            HTTP_ACCEPT="application/json",
        )
        assert saved.status_code == 200, saved.content
    return items.count()


@pytest.mark.django_db(transaction=True)
def test_a_submitted_attempt_queues_one_readiness_update(
    learner_client, learner, cpc, monkeypatch
):
    queued = []
    for task in (attempt_grade_task, *(app.tasks[name] for name in READINESS_TASKS)):
        monkeypatch.setattr(
            task, "delay", lambda *args, name=task.name: queued.append((name, args))
        )
    attempt_id = learner_client.post(f"{API}/test-cpc/attempts").json()["id"]
    items = answer_every_question(learner_client, attempt_id)
    assert learner_client.post(f"{API}/attempts/{attempt_id}/submit").status_code == 200
    assert queued == [(attempt_grade_task.name, (attempt_id,))]

    attempt_grade_task.run(attempt_id)  # as the worker would

    readiness = [entry for entry in queued if entry[0] in READINESS_TASKS]
    assert readiness == [(learner_readiness_refresh_task.name, (learner.pk,))]
    assert GradedResponse.objects.filter(learner=learner).count() == items
    learner_readiness_refresh_task.run(learner.pk)
    snapshot = ReadinessSnapshot.objects.get(learner=learner)
    assert (
        snapshot.responses
        == GradedResponse.objects.filter(learner=learner, max_points__gt=0).count()
    )


class Recorder:
    """Tasks published and finished in this process (the test worker runs in a
    thread of it), in order."""

    def __init__(self):
        self.published: list[tuple[str, tuple]] = []
        self.finished: list[tuple[str, tuple]] = []
        self._changed = threading.Condition()

    def on_publish(self, sender=None, body=None, **kwargs):
        with self._changed:
            self.published.append((sender, tuple(body[0])))

    def on_finish(self, sender=None, task=None, args=None, **kwargs):
        with self._changed:
            self.finished.append((task.name, tuple(args)))
            self._changed.notify_all()

    def wait_until_finished(self, name: str, args: tuple = ()) -> bool:
        """True once the worker has run task `name` (with `args`, if given)."""
        with self._changed:
            return self._changed.wait_for(
                lambda: any(
                    done == name and (not args or done_args == args)
                    for done, done_args in self.finished
                ),
                timeout=WAIT_SECONDS,
            )

    def __enter__(self):
        before_task_publish.connect(self.on_publish, weak=False)
        task_postrun.connect(self.on_finish, weak=False)
        return self

    def __exit__(self, *exc):
        before_task_publish.disconnect(self.on_publish)
        task_postrun.disconnect(self.on_finish)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_exam_work_ahead_of_a_bulk_backlog(learner, other_learner, cpc):
    from celery.contrib.testing.worker import start_worker

    attempt = attempt_start(learner=learner, blueprint=cpc)
    AttemptItem.objects.filter(attempt=attempt).update(response={"options": ["a"]})
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(hours=1)
    )
    refresh = learner_readiness_refresh_task.name
    with Recorder() as recorder:
        for _ in range(BACKLOG):
            learner_readiness_refresh_task.delay(other_learner.pk)
        attempts_finalise_expired_task.delay()
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10
        ):
            assert recorder.wait_until_finished(attempt_grade_task.name)
            names = [name for name, _ in recorder.finished]
            sweep = names.index(attempts_finalise_expired_task.name)
            # Each exam task waited for at most the bulk task running and the one
            # fetched before it was queued, not for the backlog of BACKLOG.
            assert names[:sweep].count(refresh) <= 2
            assert names[sweep:].count(refresh) <= 2
            # The learner's own refresh comes last, behind the backlog.
            assert recorder.wait_until_finished(refresh, (learner.pk,))

    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    # Grading the attempt's items queued one readiness update, not one per item.
    readiness_after_grading = [
        (name, args)
        for name, args in recorder.published[BACKLOG:]
        if name in READINESS_TASKS
    ]
    assert readiness_after_grading == [(refresh, (learner.pk,))]
    assert ReadinessSnapshot.objects.get(learner=learner).responses == (
        GradedResponse.objects.filter(learner=learner, max_points__gt=0).count()
    )
