"""The notifications pages: a user's own list, opening one (marked read, its link
followed only when it is a path on this site), and the dashboard panels."""

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notification_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_client(other_learner):
    client = Client()
    client.force_login(other_learner)
    return client


def open_url(notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


def test_the_list_shows_own_notifications_newest_first_unread_marked(
    learner, other_learner, learner_client
):
    older = notification_send(user=learner, subject="Older news", body="First.")
    notification_send(user=learner, subject="Newer news", body="Second.")
    notification_send(user=other_learner, subject="Not yours", body="Private.")
    older.read_at = older.created_at
    older.save(update_fields=["read_at"])
    page = learner_client.get(reverse("notifications:list")).content.decode()
    assert page.index("Newer news") < page.index("Older news")
    assert "Not yours" not in page
    assert page.count("unread</span>") == 1


def test_opening_marks_read_and_follows_a_site_path(learner, learner_client):
    note = notification_send(
        user=learner, subject="Ruling", body="Rejected.", url="/disputes/mine/#x"
    )
    response = learner_client.get(open_url(note))
    assert response.status_code == 302 and response.url == "/disputes/mine/#x"
    note.refresh_from_db()
    first_read = note.read_at
    assert first_read is not None
    learner_client.get(open_url(note))
    note.refresh_from_db()
    assert note.read_at == first_read


@pytest.mark.parametrize(
    "url",
    ["https://evil.test/", "//evil.test/", "/\\evil.test/", "javascript:alert(1)", ""],
)
def test_an_off_site_link_is_never_followed(learner, learner_client, url):
    note = notification_send(user=learner, subject="Heads up", body="Body.", url=url)
    response = learner_client.get(open_url(note))
    assert response.status_code == 200
    assert "Body." in response.content.decode()
    note.refresh_from_db()
    assert note.read_at is not None


def test_another_users_notification_is_404(learner, learner_client, other_client):
    note = notification_send(user=learner, subject="Yours", body="Body.", url="/")
    assert other_client.get(open_url(note)).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None
    unknown = reverse("notifications:open", args=[note.pk + 99])
    assert learner_client.get(unknown).status_code == 404


def test_the_pages_need_a_login(client, learner):
    note = notification_send(user=learner, subject="Yours", body="Body.")
    for url in (reverse("notifications:list"), open_url(note)):
        assert client.get(url).status_code == 302


def test_the_dashboard_panel_shows_unread_and_hides_when_none(learner, learner_client):
    dashboard = reverse("core:dashboard")
    assert "unread notification" not in learner_client.get(dashboard).content.decode()
    note = notification_send(user=learner, subject="Score changed", body="Up.")
    panel = learner_client.get(dashboard).content.decode()
    assert "1 unread notification" in panel and open_url(note) in panel
    learner_client.get(open_url(note))
    assert "unread notification" not in learner_client.get(dashboard).content.decode()


def test_instructors_see_the_panel_too(instructor, instructor_client):
    notification_send(user=instructor, subject="Class joined", body="A learner.")
    panel = instructor_client.get(reverse("core:dashboard")).content.decode()
    assert "Your teaching dashboard" in panel and "1 unread notification" in panel
    assert Notification.objects.filter(user=instructor, read_at=None).count() == 1
