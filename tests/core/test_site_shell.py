import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_home_page_is_served_by_wagtail_with_the_site_shell(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pass your coding certification" in html
    assert 'href="#main"' in html  # skip link
    assert '<nav class="site-nav" aria-label="Main">' in html


def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy


def test_dashboard_needs_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_new_learner_sees_their_dashboard(learner_client):
    response = learner_client.get("/dashboard/")
    assert response.status_code == 200
    assert "Your dashboard" in response.content.decode()


def test_dashboard_without_panels_shows_a_starting_point(learner_client, monkeypatch):
    monkeypatch.setattr("core.dashboard._panels", [])
    html = learner_client.get("/dashboard/").content.decode()
    assert "Nothing here yet" in html


@pytest.mark.parametrize(
    "path", ["/no-such-page/", "/dashboard/%ff/", "/admin-nope/../../etc/passwd"]
)
def test_unknown_and_malformed_urls_get_a_styled_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "CoderAcademy" in html
    assert "Traceback" not in html


@override_settings(DEBUG=False)
def test_csrf_failure_is_a_styled_403(learner, client):
    client.handler.enforce_csrf_checks = True
    response = client.post("/accounts/login/", {"login": "x@example.test"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_disallowed_host_gets_a_400_not_a_500(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
