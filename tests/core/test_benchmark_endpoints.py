"""The benchmarks' trivial endpoints answer only where BENCHMARK_ENDPOINTS is on,
and production settings turn it off whatever the environment says."""

import importlib
import sys

import pytest

pytestmark = pytest.mark.django_db

PINGS = [("put", "/api/exams/ping"), ("get", "/api/codes/ping")]


@pytest.fixture
def production_settings(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("DATABASE_URL", "postgres://user@db.invalid:5432/coderacademy")
    monkeypatch.setenv("BENCHMARK_ENDPOINTS", "true")
    monkeypatch.delitem(sys.modules, "coderacademy.settings.production", raising=False)
    module = importlib.import_module("coderacademy.settings.production")
    yield module
    sys.modules.pop("coderacademy.settings.production", None)


@pytest.mark.parametrize(("method", "path"), PINGS)
def test_production_settings_answer_404(
    learner_client, settings, production_settings, method, path
):
    settings.BENCHMARK_ENDPOINTS = production_settings.BENCHMARK_ENDPOINTS
    assert getattr(learner_client, method)(path).status_code == 404


@pytest.mark.parametrize(("method", "path"), PINGS)
def test_benchmarks_reach_them_where_on(learner_client, settings, method, path):
    settings.BENCHMARK_ENDPOINTS = True
    response = getattr(learner_client, method)(path)
    assert response.status_code == 200 and response.json() == {"ok": True}
