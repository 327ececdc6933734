"""Local development on the embedded default (SQLite, filesystem broker)."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-insecure-key-do-not-use-in-production"
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEMO_ACCOUNTS_ALLOWED = True
BENCHMARK_ENDPOINTS = env_bool("BENCHMARK_ENDPOINTS", True)
WHITENOISE_USE_FINDERS = True
