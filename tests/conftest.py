"""Fixtures shared by every test folder: users per role, logged-in clients, a real
Chromium page bound to a live server, and skips for tests that need services."""

import os
import shutil

import pytest
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from hypothesis import settings

from accounts.roles import Role
from tests.support.accounts import log_in_with_two_factor, make_user
from tests.support.browser import CHROMIUM, chromium_launch, page_open

# Playwright's sync API runs an event loop in the test thread; the ORM calls that
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# `make test` and CI draw the same examples every run, so a red build is the code's
# and not a new draw's; `HYPOTHESIS_PROFILE=explore` draws fresh ones (with more
# examples) to hunt for counterexamples, which then become plain tests.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@receiver(setting_changed)
def _celery_follows_settings(setting, value, **kwargs):
    """`settings.CELERY_TASK_ALWAYS_EAGER = True` (the `settings` fixture) reaches
    the Celery app, and its restore too: Celery reads Django's settings once, so
    otherwise whatever a process's first test using Celery had set would stay."""
    if setting.startswith("CELERY_"):
        from coderacademy.celery import app

        app.conf[setting.removeprefix("CELERY_").lower()] = value


def pytest_collection_modifyitems(config, items):
    missing_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL")
    for item in items:
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(missing_redis)
        if _is_transactional(item):
            # Every transactional test restores the data migrations' rows: a flush
            # without it re-creates content types that a later restore collides with.
            # Put first, so it is the marker pytest-django reads.
            own = item.get_closest_marker("django_db")
            kwargs = {**(own.kwargs if own else {}), "transaction": True}
            kwargs["serialized_rollback"] = True
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With workers (`-n 2`), whatever `--dist` says: see FileRunScheduling."""
    from tests.support.scheduling import FileRunScheduling

    config.option.loadscopereorder = False
    return FileRunScheduling(config, log)


def pytest_sessionfinish(session):
    from django.conf import settings

    run_dir = getattr(settings, "TEST_RUN_DIR", None)
    if run_dir is not None:
        shutil.rmtree(run_dir, ignore_errors=True)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


@pytest.fixture(autouse=True)
def _skip_without_postgres(request):
    if (
        request.node.get_closest_marker("postgres")
        and connection.vendor != "postgresql"
    ):
        pytest.skip("needs PostgreSQL: set DATABASE_URL")


@pytest.fixture(scope="session", autouse=True)
def _empty_redis_at_start():
    """A run that was stopped may have left rate limits and queued tasks in this
    worker's Redis database (coderacademy/settings/test.py)."""
    from django.conf import settings
    from django.core.cache import cache

    if settings.REDIS_URL:
        cache.clear()


@pytest.fixture(autouse=True)
def _celery_eager_as_configured():
    """A test that also sets `app.conf.task_always_eager` itself (monkeypatch) may
    put back a value its own settings override had given, after that override
    ended: every later test on the worker would then run its tasks eagerly."""
    yield
    from django.conf import settings

    from coderacademy.celery import app

    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Rate limits and used TOTP codes live in the cache; with Redis it outlives a
    test, so empty it after each one (the database cache rolls back by itself)."""
    yield
    if "DatabaseCache" not in settings.CACHES["default"]["BACKEND"]:
        from django.core.cache import cache

        cache.clear()


@pytest.fixture
def learner(db):
    return make_user("learner@example.test", Role.LEARNER)


@pytest.fixture
def other_learner(db):
    return make_user("other.learner@example.test", Role.LEARNER)


@pytest.fixture
def instructor(db):
    return make_user("instructor@example.test", Role.INSTRUCTOR)


@pytest.fixture
def administrator(db):
    return make_user("admin@example.test", Role.ADMINISTRATOR)


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def other_learner_client(other_learner):
    """A second learner signed in on a client of their own, beside `client`."""
    from django.test import Client

    client = Client()
    client.force_login(other_learner)
    return client


@pytest.fixture
def instructor_client(client, instructor):
    """An instructor signed in with a password and a TOTP code."""
    return log_in_with_two_factor(client, instructor)


@pytest.fixture
def administrator_client(client, administrator):
    """An administrator signed in with a password and a TOTP code."""
    return log_in_with_two_factor(client, administrator)


@pytest.fixture(scope="session", autouse=True)
def _playwright(request):
    """Start Playwright before anything touches the database, if any test needs it.

    Its sync API runs the tests inside a greenlet, and Django keeps connections per
    context: started later, it would leave the tests on fresh connection objects
    that have lost the serialized rows that transactional tests restore.
    """
    if not any(item.get_closest_marker("browser") for item in request.session.items):
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(_playwright):
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} "
            "(make test installs it)."
        )
    browser = chromium_launch(_playwright)
    yield browser
    browser.close()


@pytest.fixture
def browser_page(
    chromium, live_server, transactional_db, django_db_serialized_rollback
):
    """A fresh browser context on the live server; `page.base_url` is its address."""
    page = page_open(chromium, live_server.url)
    yield page
    page.context.close()
