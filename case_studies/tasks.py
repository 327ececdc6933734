"""Celery tasks of the case studies app: thin wrappers around the services."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=5)
def case_regrade_task(case_id: int, key_change_id: int) -> None:
    """Regrade a case's submitted attempts after its key changed (idempotent)."""
    from case_studies.regrade import case_regrade

    case_regrade(case_id=case_id, key_change_id=key_change_id)
