"""Readiness follows the grading ledger: each graded or regraded response queues
an update once its transaction has committed. Responses graded together (an exam
attempt's items) queue one update per learner instead, inside
`readiness_updates_batched`, so that an exam day's grading does not fill the bulk
queue with one task per item."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from core.tasks import enqueue

_batched_learners: ContextVar[set[int] | None] = ContextVar(
    "readiness_batched_learners", default=None
)


def queue_readiness_update(
    sender, graded_response_id: int, learner_id: int, **kwargs
) -> None:
    from readiness.tasks import readiness_update_task

    learners = _batched_learners.get()
    if learners is not None:
        learners.add(learner_id)
        return
    transaction.on_commit(lambda: enqueue(readiness_update_task, graded_response_id))


@contextmanager
def readiness_updates_batched() -> Iterator[None]:
    """Responses graded (and committed) inside the block queue one readiness
    refresh per learner when it ends, instead of one update each. A transaction
    that commits after the block falls back to one update per response."""
    from readiness.tasks import learner_readiness_refresh_task

    learners: set[int] = set()
    token = _batched_learners.set(learners)
    try:
        yield
    finally:
        _batched_learners.reset(token)
        for learner_id in sorted(learners):
            transaction.on_commit(
                lambda pk=learner_id: enqueue(learner_readiness_refresh_task, pk)
            )


def record_mock_prediction(sender, graded_response_id: int, **kwargs) -> None:
    """A graded mock-exam item may complete a full-length mock exam whose
    prediction is recorded for the calibration report. Robust: a failure there
    is logged and never undoes or stops the exam's grading."""
    from readiness.services import mock_prediction_record_for_response

    transaction.on_commit(
        lambda: mock_prediction_record_for_response(
            graded_response_id=graded_response_id
        ),
        robust=True,
    )
