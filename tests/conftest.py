"""Fixtures shared by every test folder: users per role, logged-in clients, a real
Chromium page bound to a live server, and skips for tests that need services."""

import os
import shutil
import time
from pathlib import Path

import pytest
from django.db import connection

from accounts.roles import Role
from accounts.services import user_ensure

# Playwright's sync API runs an event loop in the test thread; the ORM calls that
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "a-long-test-password-42"


def current_totp(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(page, email: str, totp_secret: str | None = None) -> None:
    """Log in through the browser (with a TOTP code for staff) and land on the
    dashboard."""
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp_secret:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.fill("#id_code", current_totp(totp_secret))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


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


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Rate limits and used TOTP codes live in the cache; with Redis it outlives a
    test, so empty it after each one (the database cache rolls back by itself)."""
    yield
    if "DatabaseCache" not in settings.CACHES["default"]["BACKEND"]:
        from django.core.cache import cache

        cache.clear()


def make_user(email: str, role: Role):
    user, _ = user_ensure(email=email, password=PASSWORD, role=role)
    return user


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


def log_in_with_two_factor(client, user, *, passed: bool = True):
    """Log a staff user in as allauth's login leaves them after a password and a TOTP
    code: TOTP turned on, and both steps recorded in the session (the record that
    accounts.middleware asks for; tests/accounts pins it against the real login).
    With `passed=False` only the password step is recorded."""
    from allauth.account.internal.flows.login import record_authentication
    from django.test import RequestFactory

    from accounts.demo import DEMO_TOTP_SECRET
    from accounts.services import user_enable_totp

    user_enable_totp(user=user, secret=DEMO_TOTP_SECRET)
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    if passed:
        record_authentication(request, user, "mfa", type="totp")
    request.session.save()
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
    browser = _playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def browser_page(
    chromium, live_server, transactional_db, django_db_serialized_rollback
):
    """A fresh browser context on the live server; `page.base_url` is its address."""
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()
