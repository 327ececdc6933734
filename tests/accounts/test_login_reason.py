"""A visitor sent to the login page on the way to a page is told why, in the
words of where they were going, and can sign up without losing the way there."""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from core.navigation import PURPOSE_UNKNOWN
from core.templatetags.login_reason import OTHER_ACCOUNT_TO, SIGN_IN_TO

pytestmark = pytest.mark.django_db


def _reason(html: str) -> str:
    start = html.index('<p class="message" role="status">') + len(
        '<p class="message" role="status">'
    )
    return html[start : html.index("</p>", start)]


def test_following_case_library_explains_the_login_and_keeps_the_way_there(client):
    response = client.get(reverse("case_studies:library"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert _reason(html) == SIGN_IN_TO.format(purpose="open the case library")
    signup_url = "/accounts/signup/?next=" + quote("/practice/", safe="")
    assert f'href="{signup_url}"' in html
    signup = client.get(signup_url).content.decode()
    assert _reason(signup) == SIGN_IN_TO.format(purpose="open the case library")
    assert 'name="next" value="/practice/"' in signup


@pytest.mark.parametrize(
    ("path", "purpose"),
    [
        ("/dashboard/", "open your dashboard"),
        ("/classes/join/ABCD2345/", "join the class"),
        ("/admin/pages/", "open the authoring area"),
        ("/accounts/email/", "open your account settings"),
        ("/account/name/", "open your account settings"),
        ("/notifications/", "read your notifications"),
    ],
)
def test_the_reason_names_the_area(path, purpose):
    response = Client().get(path, follow=True)
    assert _reason(response.content.decode()) == SIGN_IN_TO.format(purpose=purpose)


@pytest.mark.parametrize(
    "next_url", ["/no-such-page/", "https://evil.example/practice/"]
)
def test_an_unknown_or_foreign_destination_gets_no_name(client, next_url):
    html = client.get("/accounts/login/", {"next": next_url}).content.decode()
    if next_url.startswith("/"):
        assert _reason(html) == SIGN_IN_TO.format(purpose=PURPOSE_UNKNOWN)
    else:
        assert 'role="status"' not in html


def test_the_plain_login_page_gives_no_reason(client):
    assert 'role="status"' not in client.get("/accounts/login/").content.decode()


def test_a_learner_sent_away_from_the_admin_is_told_the_account_cannot(
    learner_client,
):
    response = learner_client.get("/admin/", follow=True)
    assert _reason(response.content.decode()) == OTHER_ACCOUNT_TO.format(
        purpose="open the authoring area"
    )
