"""Django's Redis cache, degrading instead of failing when Redis is unreachable.

With Redis down, a read is a miss and a write is dropped, so sessions fall through
to the database and pages render (docs/deploy.md, "When a part fails"). `add`
answers False, so a lock built on it is not taken and whatever it guards (allauth's
rate limits) refuses rather than running unlimited. A counter cannot pretend:
`incr` raises `CacheUnavailable`, and its caller decides (the login limits refuse
the sign-in). After a failure, calls skip Redis for `RETRY_SECONDS`, so an outage
costs each request nothing rather than a connection attempt per cache call.

Django's own client is used as it is: keeping one `redis.Redis` per connection
pool instead of one per call (a subclass of Django's private client) made no
measurable difference with redis-py 8 (-3% and -9% saves per CPU second in two
runs of `benchmarks/bench_exams.py`, 2026-12-03), so it went (issue #18).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class CacheUnavailable(Exception):
    """The cache could not be reached; raised only where a miss would lie."""


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _call(self, operation, *args, fallback, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback(CacheUnavailable("the cache is unreachable"))
        try:
            return operation(*args, **kwargs)
        except _UNREACHABLE as error:
            logger.warning("cache unreachable, degrading: %s", error)
            self._down_until = time.monotonic() + RETRY_SECONDS
            return fallback(error)

    def get(self, key, default=None, version=None):
        return self._call(
            super().get, key, default, version, fallback=lambda e: default
        )

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, fallback=lambda e: {})

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, fallback=lambda e: False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call(super().set, key, value, timeout, version, fallback=lambda e: None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            super().set_many, data, timeout, version, fallback=lambda e: list(data)
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            super().add, key, value, timeout, version, fallback=lambda e: False
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            super().touch, key, timeout, version, fallback=lambda e: False
        )

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, fallback=lambda e: False)

    def delete_many(self, keys, version=None):
        self._call(super().delete_many, keys, version, fallback=lambda e: None)

    def clear(self):
        return self._call(super().clear, fallback=lambda e: False)

    def incr(self, key, delta=1, version=None):
        return self._call(super().incr, key, delta, version, fallback=_unavailable)

    def ping(self) -> None:
        """Raise unless Redis answers now, ignoring the pause after a failure.
        Django's private client (`_cache.get_client`) is the only way to a raw
        command; tests/core/test_private_apis.py pins it."""
        self._cache.get_client(write=True).ping()


def _unavailable(error: Exception):
    raise CacheUnavailable("the cache is unreachable") from error
