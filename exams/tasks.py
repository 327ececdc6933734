"""Celery tasks of the exams app: thin wrappers around the services."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=5)
def attempt_grade_task(attempt_id: int) -> None:
    """Grade a submitted attempt (idempotent)."""
    from exams.services import attempt_grade

    attempt_grade(attempt_id=attempt_id)


@shared_task
def attempts_finalise_expired_task() -> int:
    """The beat sweep: finalise attempts whose deadline plus grace has passed."""
    from exams.services import attempts_finalise_expired

    return attempts_finalise_expired()


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=5)
def question_regrade_task(question_id: int, revision_id: int, reason: str) -> None:
    """Regrade a question's graded answers after its key changed (idempotent)."""
    from exams.regrade import question_regrade

    question_regrade(question_id=question_id, revision_id=revision_id, reason=reason)
