"""Celery tasks of the readiness app: thin wrappers around the services."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=5)
def readiness_update_task(graded_response_id: int) -> None:
    """Update readiness after a graded response (idempotent)."""
    from readiness.services import readiness_update_for_response

    readiness_update_for_response(graded_response_id=graded_response_id)


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=5)
def learner_readiness_refresh_task(learner_id: int) -> None:
    """Recompute one learner's readiness for every certification (idempotent)."""
    from readiness.services import learner_readiness_refresh_all

    learner_readiness_refresh_all(learner_id=learner_id)


@shared_task
def items_recalibrate_task() -> int:
    """The periodic recalibration: item difficulties, then every learner's
    readiness with them, one task per learner."""
    from readiness.services import items_recalibrate

    learner_ids = items_recalibrate()
    for learner_id in learner_ids:
        learner_readiness_refresh_task.delay(learner_id)
    return len(learner_ids)
