"""Celery tasks of the courses app: thin wrappers around the services."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=5)
def lesson_regrade_task(lesson_id: int, revision_id: int, reasons: dict) -> None:
    """Regrade the answers to a lesson's checks whose key changed (idempotent)."""
    from courses.regrade import lesson_regrade

    lesson_regrade(lesson_id=lesson_id, revision_id=revision_id, reasons=reasons)
