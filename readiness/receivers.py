"""Readiness follows the grading ledger: each graded or regraded response queues
an update once its transaction has committed."""

from django.db import transaction


def queue_readiness_update(sender, graded_response_id: int, **kwargs) -> None:
    from readiness.tasks import readiness_update_task

    transaction.on_commit(lambda: readiness_update_task.delay(graded_response_id))
