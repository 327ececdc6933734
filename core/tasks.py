import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone
from kombu.exceptions import KombuError

HEARTBEAT_CACHE_KEY = "celery:worker-heartbeat"

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Publish `task` with `args`; False, logged, if the broker cannot take it.

    Called after the change it follows has committed, so a broker outage never
    fails the learner's request: the change is kept, and what the task would do is
    caught up by whoever owns it (the exams sweep publishes grading again for
    attempts left ungraded; docs/deploy.md, "When a part fails").
    """
    try:
        task.delay(*args)
    except (KombuError, OSError) as error:
        logger.warning("could not queue %s%r: %s", task.name, args, error)
        return False
    return True


@shared_task(name="core.record_worker_heartbeat")
def record_worker_heartbeat() -> None:
    """Beat sends this every minute; /healthz shows when a worker last ran it."""
    cache.set(HEARTBEAT_CACHE_KEY, timezone.now().isoformat(), timeout=None)
