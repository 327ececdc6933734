import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_service_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["services"] == {"database": "ok", "cache": "ok", "broker": "ok"}


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "core.cache.RedisCache",
            # Nothing listens on port 1: a real connection failure.
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
)
def test_healthz_is_503_when_the_cache_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["services"]["cache"].startswith("error:")
    assert body["services"]["database"] == "ok"


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    from coderacademy.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["services"]["broker"].startswith("error:")


def test_readyz_is_200_with_nothing_degraded_when_every_service_is_up(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"
    assert response.json()["degraded"] == []
