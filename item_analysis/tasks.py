"""Celery tasks of item analysis: thin wrappers around the services."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=3)
def snapshot_recompute_task(scope: str, first_attempts_only: bool = True) -> None:
    """Recompute one scope's snapshot (idempotent)."""
    from item_analysis.services import snapshot_recompute

    snapshot_recompute(scope=scope, first_attempts_only=first_attempts_only)


@shared_task
def snapshots_refresh_task() -> list[str]:
    """The periodic refresh: every scope whose data changed is recomputed."""
    from item_analysis.services import snapshots_refresh_changed

    return snapshots_refresh_changed()
