"""The test suite: SQLite and the filesystem broker unless DATABASE_URL and
REDIS_URL point at real services."""

import os
import tempfile
from pathlib import Path

from .dev import *  # noqa: F403

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"

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

if not REDIS_URL:  # noqa: F405
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
