"""Headers on every response: browser features the site never uses are denied, and
a signed-in user's JSON is never stored by a cache."""

import pytest

pytestmark = pytest.mark.django_db

DENIED = ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"]


@pytest.mark.parametrize(
    "path", ["/", "/api/codes/ping", "/no-such-page/", "/admin/", "/healthz"]
)
def test_every_response_denies_unused_browser_features(client, path):
    policy = client.get(path).headers["Permissions-Policy"]
    for feature in DENIED:
        assert feature in policy, (path, feature)


def test_a_signed_in_users_json_is_not_cached(learner_client):
    response = learner_client.get("/api/exams/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_public_json_stays_cacheable(client):
    response = client.get("/api/codes/ping")
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_admin_draws_avatars_locally(instructor_client):
    """The admin's CSP allows no third-party images."""
    page = instructor_client.get("/admin/").content.decode()
    assert "gravatar.com" not in page
