"""Per-address login limits, counted without a lock.

allauth keeps each address's attempts as one list in the cache, behind a lock that a
request waits for at most a second; a class signing in together from behind one
address (a lab's NAT) queues on that one lock, and a request that gives up is
refused: a 429, or "too many failed login attempts" for a right password. Here each
address has a counter per fixed window, raised with the cache's `incr` (atomic on
Redis, as in production; on the database cache two racing requests may count once,
which only errs towards letting a learner in). Per-account limits stay allauth's.
"""

import time

from django.conf import settings
from django.core.cache import cache

_SECONDS = {"s": 1, "m": 60, "h": 3600}


def _parse(limit: str) -> tuple[int, int]:
    """ "300/m" or "100/5m" as (count, seconds)."""
    count, period = limit.split("/")
    return int(count), int(period[:-1] or 1) * _SECONDS[period[-1]]


def _key(kind: str, address: str, seconds: int) -> str:
    return f"login-limit:{kind}:{address}:{int(time.time() // seconds)}"


def _raise(key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=seconds)
        return 1


def attempt_allowed(address: str) -> bool:
    """Count a sign-in attempt from `address`; False once over the limit."""
    limit, seconds = _parse(settings.LOGIN_LIMIT_PER_IP)
    return _raise(_key("attempts", address, seconds), seconds) <= limit


def failures_below_limit(address: str) -> bool:
    limit, seconds = _parse(settings.LOGIN_FAILED_LIMIT_PER_IP)
    return (cache.get(_key("failures", address, seconds)) or 0) < limit


def failure_record(address: str) -> None:
    _, seconds = _parse(settings.LOGIN_FAILED_LIMIT_PER_IP)
    _raise(_key("failures", address, seconds), seconds)
