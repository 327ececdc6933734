"""Fixtures shared by every test folder: users per role, logged-in clients, a real
Chromium page bound to a live server, and skips for tests that need services."""

import os
from pathlib import Path

import pytest
from django.db import connection, connections

from accounts.roles import Role
from accounts.services import user_ensure

# Playwright's sync API runs an event loop in the test thread; the ORM calls that
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "a-long-test-password-42"


def pytest_collection_modifyitems(config, items):
    missing_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL")
    for item in items:
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(missing_redis)


@pytest.fixture(autouse=True)
def _skip_without_postgres(request):
    if (
        request.node.get_closest_marker("postgres")
        and connection.vendor != "postgresql"
    ):
        pytest.skip("needs PostgreSQL: set DATABASE_URL")


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


@pytest.fixture
def instructor_client(client, instructor):
    """An instructor who has already turned on two-factor authentication."""
    from accounts.demo import DEMO_TOTP_SECRET
    from accounts.services import user_enable_totp

    user_enable_totp(user=instructor, secret=DEMO_TOTP_SECRET)
    client.force_login(instructor)
    return client


@pytest.fixture(scope="session")
def _serialized_test_databases(django_db_setup):
    """The data migrations' rows, serialized when the test databases were made.

    Playwright's sync API switches greenlets, and Django keeps connections per
    context, so after the browser starts the test code may hold a fresh connection
    object that lacks the serialized rows that transactional tests restore.
    """
    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


@pytest.fixture
def _restore_serialized_rows(_serialized_test_databases):
    for alias, contents in _serialized_test_databases.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture(scope="session")
def chromium(_serialized_test_databases):
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} "
            "(make test installs it)."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
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
    _restore_serialized_rows,
    chromium,
    live_server,
    transactional_db,
    django_db_serialized_rollback,
):
    """A fresh browser context on the live server; `page.base_url` is its address."""
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()
