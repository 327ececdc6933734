from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "celery:worker-heartbeat"


@shared_task(name="core.record_worker_heartbeat")
def record_worker_heartbeat() -> None:
    """Beat sends this every minute; /healthz shows when a worker last ran it."""
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().isoformat(), timeout=None)
