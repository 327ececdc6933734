"""Faults injected for real: the cache and the broker pointed at a closed port
(nothing listens on port 1, so each call meets a refused connection, as when
Redis is down), never by stopping the machine's shared servers."""

import pytest

from tests.exams.conftest import cpc, exams  # noqa: F401 - shared fixtures

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"
CACHE_DOWN = {
    "default": {"BACKEND": "core.cache.RedisCache", "LOCATION": CLOSED_PORT_URL}
}


@pytest.fixture
def cache_down(settings):
    """Redis as cache and session store, unreachable."""
    settings.CACHES = CACHE_DOWN
    settings.SESSION_ENGINE = "core.sessions"


@pytest.fixture
def broker_down():
    """The Celery broker unreachable: publishing a task fails."""
    from coderacademy.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = CLOSED_PORT_URL
    # Producers are pooled per broker connection, chosen once: choose again.
    app.amqp._producer_pool = None
    yield
    app.conf.broker_url = original
    app.amqp._producer_pool = None


FIGURES = pytest.StashKey[list[str]]()


@pytest.fixture
def figure(request):
    """Report a measured figure in the run's summary, where CI's log shows it."""
    return request.config.stash.setdefault(FIGURES, []).append


def pytest_terminal_summary(terminalreporter, config):
    figures = config.stash.get(FIGURES, [])
    if figures:
        terminalreporter.section("fault figures (issue #15)")
        for line in figures:
            terminalreporter.write_line(line)
