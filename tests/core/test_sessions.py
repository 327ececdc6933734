"""Sessions cached in Redis are kept there for minutes only, so a copy left stale
by an outage (a sign-out whose cache delete was dropped) is served no longer than
that once Redis is back (core.sessions)."""

import pytest
from django.core.cache import cache
from django.test import Client

from core.sessions import CACHED_SECONDS

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


def test_a_session_is_cached_for_minutes_not_weeks(settings, learner):
    settings.SESSION_ENGINE = "core.sessions"
    client = Client()
    client.force_login(learner)
    key = client.session.cache_key
    ttl = cache._cache.get_client().ttl(cache.make_and_validate_key(key))
    assert 0 < ttl <= CACHED_SECONDS
    assert settings.SESSION_COOKIE_AGE > CACHED_SECONDS
