"""Settings shared by every environment. Everything that varies comes from the
environment; `.env.example` lists each variable."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "accounts",
    "core",
    "certifications",
    "codesets",
    "grading",
    "courses",
    "case_studies",
    "exams",
    "readiness",
    "privacy",
    "content_checks",
    "cohorts",
    "gradebook",
    "item_analysis",
    "disputes",
    "notifications",
    "billing",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Serves the API docs (Swagger UI) from our own static files, not a CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before anything that queries with the path or the query string.
    "core.input_guards.InputGuardsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireTwoFactorForStaffMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "coderacademy.urls"
WSGI_APPLICATION = "coderacademy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and (
    threshold := os.environ.get("DB_PREPARE_THRESHOLD", "5")
):
    # PostgreSQL plans a statement each time it is sent as text: for the signed-in
    # user's query (five joins) planning cost ten times the run. With the values
    # bound on the server, psycopg prepares a statement on its `threshold`-th use on
    # a connection and PostgreSQL keeps its plan (docs/exams.md, issue #22). An
    # empty DB_PREPARE_THRESHOLD turns this off, e.g. behind a pooler that
    # does not keep prepared statements (docs/deploy.md).
    DATABASES["default"]["OPTIONS"] = {
        "server_side_binding": True,
        "prepare_threshold": int(threshold),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process, the worker and beat share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

_PASSWORD_VALIDATION = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_PASSWORD_VALIDATION}.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Redis serves as Celery broker and shared cache when REDIS_URL is set; without it the
# embedded default needs no server: a filesystem broker and the database cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "coderacademy"),
            # An unreachable Redis costs a request a second at most, then is
            # skipped for a moment (core.cache): the site degrades, not hangs.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }

# Every request reads its session: from Redis when there is one (written through
# to the database, so a flushed or unreachable cache logs nobody out).
if REDIS_URL:
    SESSION_ENGINE = "core.sessions"

CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
# Longer than the longest task's run time, so a late-acked task is not redelivered to
# a second worker while the first is still running it.
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
# Two queues by urgency: `exams` (the sweep, finalising and grading attempts) never
# waits behind `bulk` (readiness, recalibration, the heartbeat, anything unrouted).
# A worker started without -Q consumes both; production gives `exams` a worker of
# its own (docs/deploy.md).
CELERY_TASK_QUEUES = {"exams": {}, "bulk": {}}
CELERY_TASK_DEFAULT_QUEUE = "bulk"
CELERY_TASK_ROUTES = {"exams.tasks.*": {"queue": "exams"}}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE

# Accounts: django-allauth with email log-in, mandatory verification and TOTP.
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Show the login form to a signed-in user sent there for lack of rights (e.g. a
# learner opening the Wagtail admin) instead of bouncing them back in a loop.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# A class signs in together from behind one address (a lab's NAT): per-address limits
# fit a lab and are counted without a lock (accounts.login_limits); per-account ones
# stay strict, in allauth, and stop guessing at one account.
LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "300/m")
LOGIN_FAILED_LIMIT_PER_IP = os.environ.get("LOGIN_FAILED_LIMIT_PER_IP", "100/5m")
LOGIN_FAILED_LIMIT_PER_ACCOUNT = "5/5m"
ACCOUNT_RATE_LIMITS = {
    "login": None,
    "login_failed": f"{LOGIN_FAILED_LIMIT_PER_ACCOUNT}/key",
    "signup": "20/h/ip",
    "confirm_email": "3/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CoderAcademy"
# Behind proxies that append to X-Forwarded-For (nginx, a load balancer), how many of
# them to trust: the rate limits then count the learner's address, not the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "CoderAcademy <noreply@localhost>"
)

WAGTAIL_SITE_NAME = "CoderAcademy"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# An edit saved while content is in review restarts the review, so what goes live
# is what the reviewer approved (docs/security.md).
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# Passwords and emails change only through allauth (rate limits, verification,
# notices); Wagtail's own forms for them are off.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Avatars from gravatar.com would break the admin's CSP; Wagtail draws a local one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "txt"]

# The site's own pages run under a strict policy; the Wagtail admin needs inline
# styles and scripts of its own, so it gets a policy that allows them.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src https://www.youtube-nocookie.com "
    "https://player.vimeo.com; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'"
)
CONTENT_SECURITY_POLICY_ADMIN = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; "
    "connect-src 'self'; frame-src 'self' https:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'self'"
)
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ("/admin/", "/django-admin/")
# Browser features no page of the site uses, denied to it and to every frame in it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Wagtail logs every page action and background task at INFO; the audit trail
    # is in its admin log, so the console only needs warnings from them.
    "loggers": {name: {"level": "WARNING"} for name in ("wagtail", "django_tasks")},
}
DEMO_ACCOUNTS_ALLOWED = env_bool("DEMO_ACCOUNTS_ALLOWED")
# The benchmarks' trivial endpoints (`/api/exams/ping`, `/api/codes/ping`, the
# ceiling `make bench` measures against); production never serves them.
BENCHMARK_ENDPOINTS = env_bool("BENCHMARK_ENDPOINTS")

CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "core.record_worker_heartbeat", "schedule": 60.0},
    # Submits attempts whose learner has gone; deadlines never wait for this sweep.
    "exams-finalise-expired": {
        "task": "exams.tasks.attempts_finalise_expired_task",
        "schedule": 30.0,
    },
    "readiness-recalibrate": {
        "task": "readiness.tasks.items_recalibrate_task",
        "schedule": 6 * 60 * 60.0,
    },
    # Item analysis follows new answers within this time without a page visit.
    "item-analysis-refresh": {
        "task": "item_analysis.tasks.snapshots_refresh_task",
        "schedule": 15 * 60.0,
    },
}
# Seconds after an exam deadline during which in-flight saves are still accepted.
EXAMS_SAVE_GRACE_SECONDS = int(os.environ.get("EXAMS_SAVE_GRACE_SECONDS", "30"))
# Seconds a submitted attempt waits for grading before the sweep queues it again
# (its task was lost with a worker or never queued while the broker was down) and
# the results page tells the learner grading is delayed. Grading takes under a
# second, so a minute means something failed.
EXAMS_GRADING_RETRY_SECONDS = int(os.environ.get("EXAMS_GRADING_RETRY_SECONDS", "60"))
