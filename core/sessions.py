"""Sessions read from the cache and written through to the database, with the
cached copy kept for minutes, not the session's two weeks.

While Redis is unreachable the cache drops writes and deletes (core.cache), so a
session changed or ended then (a sign-out) still has its older copy in Redis when
Redis comes back. Keeping each copy `CACHED_SECONDS` at most bounds how long such a
copy can be served: a few minutes after the outage, every session is read from
the database again.
"""

from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

CACHED_SECONDS = 300


class _ShortLived:
    """The session cache, with every stored copy expiring within minutes."""

    def __init__(self, cache):
        self._cache = cache

    def set(self, key, value, timeout):
        self._cache.set(key, value, min(timeout, CACHED_SECONDS))

    def __contains__(self, key):
        return key in self._cache

    def __getattr__(self, name):
        return getattr(self._cache, name)


class SessionStore(CachedDBStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self._cache = _ShortLived(self._cache)
