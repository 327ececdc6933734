"""Liveness of the services the site depends on, for /healthz and operators."""

from django.core.cache import cache, caches
from django.db import connection

from coderacademy.celery import app as celery_app
from coderacademy.celery import prepare_filesystem_broker


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    from .cache import RedisCache

    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # Its reads and writes degrade to misses; only a ping tells it is down.
        backend.ping()
        return
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was stored")


def check_broker() -> None:
    prepare_filesystem_broker()
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}
# Without these a web process cannot serve anything; without the others it serves
# degraded (docs/deploy.md, "When a part fails").
REQUIRED_FOR_READY = ("database",)


def last_worker_heartbeat() -> str | None:
    """When a Celery worker last ran the heartbeat task that beat schedules."""
    from .tasks import HEARTBEAT_CACHE_KEY

    try:
        return cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:  # noqa: BLE001 - the cache check reports the failure
        return None


def service_status() -> dict[str, str]:
    """Run every check; each reports "ok" or the error it met."""
    status = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 - any failure means "down"
            status[name] = f"error: {type(error).__name__}: {error}"[:200]
        else:
            status[name] = "ok"
    return status
