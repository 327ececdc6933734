"""The test suite: SQLite and the filesystem broker unless DATABASE_URL and
REDIS_URL point at real services."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from .dev import *  # noqa: F403

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Redis's default number of databases (`databases` in redis.conf).
REDIS_DATABASES = 16

# Per process, so that concurrent test runs on one machine never share state;
# tests/conftest.py removes it when the run ends.
TEST_RUN_DIR = Path(tempfile.gettempdir()) / f"coderacademy-test-{os.getpid()}"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than memory, so the live server used by browser tests runs on
    # its own connection, as it does on PostgreSQL.
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_RUN_DIR / "db.sqlite3")}  # noqa: F405
    TEST_RUN_DIR.mkdir(parents=True, exist_ok=True)
else:
    # Two runs on one PostgreSQL server (CI and a developer, or two sessions) must
    # never create, use or drop the same test database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"  # noqa: F405
    }

if REDIS_URL:  # noqa: F405
    # pytest-xdist workers (PYTEST_XDIST_WORKER=gw0, gw1, ...) each get a Redis
    # database of their own, counting down from REDIS_URL's (CI's 15: gw0 on 15, gw1
    # on 14), for the cache, the sessions and the Celery broker: a test empties its
    # database after it runs, which would wipe another worker's rate limits, TOTP
    # codes and queued tasks mid-test. Processes a test starts (gunicorn, a Celery
    # worker) inherit the variable, so they land on the same database.
    _redis = urlsplit(REDIS_URL)  # noqa: F405
    _worker = int((os.environ.get("PYTEST_XDIST_WORKER") or "gw0").removeprefix("gw"))
    if _worker >= REDIS_DATABASES:
        raise ImproperlyConfigured(
            f"{_worker + 1} test workers, but Redis has {REDIS_DATABASES} databases"
        )
    _database = (int(_redis.path.strip("/") or 0) - _worker) % REDIS_DATABASES
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_database}"))
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
    CELERY_BROKER_URL = REDIS_URL
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
        key: str(TEST_RUN_DIR / "broker" / key)
        for key in (
            "data_folder_in",
            "data_folder_out",
            "processed_folder",
            "control_folder",
        )
    }
    CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"] = CELERY_BROKER_TRANSPORT_OPTIONS[
        "data_folder_out"
    ]
