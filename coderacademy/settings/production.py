"""Production: everything from the environment; refuses to start without a secret."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool
from .media import media_origins

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters "
        "in production."
    )
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Media on S3-compatible storage; django-storages reads the AWS_* variables.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL")
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN")
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME")
    AWS_QUERYSTRING_AUTH = True
    AWS_DEFAULT_ACL = None
    # Images uploaded in the Wagtail admin are served from the bucket's origin, which
    # the pages' and the admin's img-src must allow.
    _media = media_origins(
        bucket=os.environ["AWS_STORAGE_BUCKET_NAME"],
        custom_domain=AWS_S3_CUSTOM_DOMAIN,
        endpoint_url=AWS_S3_ENDPOINT_URL,
        region=AWS_S3_REGION_NAME,
    )
    CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(  # noqa: F405
        "img-src 'self' data:", f"img-src 'self' data: {_media}"
    )
    CONTENT_SECURITY_POLICY_ADMIN = CONTENT_SECURITY_POLICY_ADMIN.replace(  # noqa: F405
        "img-src 'self' data: blob:", f"img-src 'self' data: blob: {_media}"
    )
DEMO_ACCOUNTS_ALLOWED = False
BENCHMARK_ENDPOINTS = False

# Wagtail's live preview shows the page in a same-origin frame, so X_FRAME_OPTIONS
# stays SAMEORIGIN (and CSP frame-ancestors 'self') rather than DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
