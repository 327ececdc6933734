"""A lock that one process at a time can hold across the whole site, for periodic
work that two beats (one started by mistake) would otherwise run side by side."""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def lock_key(name: str) -> int:
    """The advisory lock number for `name`."""
    return zlib.crc32(name.encode())


@contextmanager
def site_lock(name: str) -> Iterator[bool]:
    """Try to take the lock `name`; yield whether this process holds it.

    On PostgreSQL a session advisory lock: never waited for, and released by the
    server if the holder dies. SQLite serves one machine, where its own write lock
    already serialises the work, so there it is always taken.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
