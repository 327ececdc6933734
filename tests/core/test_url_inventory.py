"""Every URL pattern of the project, walked from the resolver: each one is public by
the allow-list below or refuses an anonymous visitor, and none serves a privileged
user who has not passed two-factor authentication in this session."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from accounts.middleware import OPEN_BEFORE_TWO_FACTOR, OPEN_FOR_ENROLMENT
from accounts.views import login_elsewhere
from tests.support.accounts import log_in_with_two_factor

pytestmark = pytest.mark.django_db

# URL patterns an anonymous visitor may use, each for a reason. Patterns, not view
# names: the API's operations share names (two "ping"s).
PUBLIC = {
    # Monitoring and load balancers probe them without credentials.
    "healthz",
    "readyz",
    # allauth: the way in, and the steps before one is signed in.
    "accounts/login/",
    "accounts/logout/",
    "accounts/signup/",
    "accounts/inactive/",
    "accounts/confirm-email/",
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$",
    "accounts/password/reset/",
    "accounts/password/reset/done/",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
    "accounts/password/reset/key/done/",
    "accounts/login/code/confirm/",
    "accounts/2fa/authenticate/",
    # Logging out needs no rights.
    "admin/logout/",
    "django-admin/logout/",
    # The admin's icons and translations: static assets, no data.
    "admin/sprite/",
    "admin/jsi18n/",
    "django-admin/jsi18n/",
    # The API's description; each operation guards itself.
    "api/",
    "api/openapi.json",
    "api/docs",
    # The code book: public-domain code sets and our own lay descriptions.
    "api/codes/ping",
    "api/codes/search",
    "api/codes/<system>/<code>",
    "codes/",
    "codes/<str:system>/",
    "codes/<str:system>/<str:code>/",
    # Catalogues that invite a visitor to sign up; every answer is behind a login.
    "practice/",
    "learn/",
    "learn/search/",
    "exams/",
    # Wagtail's published pages (their privacy settings apply) and the password
    # form of a page or document restricted by a shared password.
    r"^((?:[\w\-]+/)*)$",
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
    "documents/authenticate_with_password/<int:restriction_id>/",
}

# A sample for each regular-expression pattern, which cannot be filled mechanically.
REGEX_SAMPLES = {
    r"(?P<url>.*)$": "no-such-page/",
    r"^((?:[\w\-]+/)*)$": "",
    r"^(?P<app_label>wagtaildocs|wagtailimages|taggit|auth|account|mfa)/$": "auth/",
    r"^(?P<pk>\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\."
    r"(?P<revision_id_b>live|latest|\d+)/$": "1/revisions/compare/earliest...latest/",
    r"history/(?P<pk>.+)/revisions/compare/(?P<revision_id_a>live|earliest|\d+)\.\.\."
    r"(?P<revision_id_b>live|latest|\d+)/$": (
        "history/1/revisions/compare/earliest...latest/"
    ),
    r"^(\d+)/(.*)$": "1/handout.pdf",
    r"^.*/$": "anything/",
    r"^confirm-email/(?P<key>[-:\w]+)/$": "confirm-email/not-a-key/",
    r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "password/reset/key/1-not-a-key/"
    ),
}
CONVERTER_SAMPLES = {"int": "1", "path": "1"}
_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?\w+>")
_REGEX_SYNTAX = re.compile(r"[()\[\]\\.*+?|]")


def _sample(pattern) -> str:
    text = str(pattern)
    if isinstance(pattern, RoutePattern):
        return _PARAMETER.sub(
            lambda m: CONVERTER_SAMPLES.get(m["converter"], "sample"), text
        )
    assert isinstance(pattern, RegexPattern), text
    if _REGEX_SYNTAX.search(text.strip("^$")):
        assert text in REGEX_SAMPLES, f"add a sample for the URL pattern {text!r}"
        return REGEX_SAMPLES[text]
    return text.strip("^$")


def _walk(patterns, route="", path=""):
    for pattern in patterns:
        here = (route + str(pattern.pattern), path + _sample(pattern.pattern))
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, *here)
        else:
            assert isinstance(pattern, URLPattern)
            yield here


def inventory() -> list[tuple[str, str, str]]:
    """Each pattern as its route, a path that resolves to it, and the view name that
    serves that path (which may be an earlier pattern's, e.g. login_elsewhere)."""
    return [
        (route, "/" + path, resolve("/" + path).view_name)
        for route, path in _walk(get_resolver().url_patterns)
    ]


INVENTORY = inventory()


def test_the_inventory_covers_every_part_of_the_site():
    prefixes = {path.split("/")[1] for _, path, _ in INVENTORY}
    assert {"accounts", "admin", "django-admin", "api", "exams", "_util"} <= prefixes
    assert len(INVENTORY) > 400


def _is_refusal(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code not in (301, 302):
        return False
    match = resolve(urlsplit(response.url).path)
    return match.view_name == "account_login" or match.func is login_elsewhere


def _request(client, path):
    """GET, or the first method the view allows."""
    response = client.get(path)
    if response.status_code == 405:
        method = response["Allow"].split(",")[0].strip().lower()
        response = getattr(client, method)(path)
    return response


@pytest.mark.parametrize(("route", "path", "view_name"), INVENTORY)
def test_anonymous_visitors_are_refused_unless_public(route, path, view_name):
    if route in PUBLIC:
        return
    response = _request(Client(), path)
    assert _is_refusal(response), (route, path, view_name, response.status_code)


def test_the_allow_list_names_only_real_patterns():
    assert not PUBLIC - {route for route, _, _ in INVENTORY}


@pytest.fixture
def password_only_instructor(client, instructor):
    """An instructor with TOTP on whose session has not passed it: as after a
    password on a login form that skips the TOTP step."""
    return log_in_with_two_factor(client, instructor, passed=False)


def test_every_view_refuses_a_session_without_two_factor(password_only_instructor):
    client = password_only_instructor
    for _, path, view_name in INVENTORY:
        if view_name in OPEN_BEFORE_TWO_FACTOR:
            continue
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code == 302, (path, view_name)
            assert response.url.startswith("/accounts/2fa/reauthenticate/?next="), (
                path,
                view_name,
            )


def test_every_view_sends_a_privileged_user_without_totp_to_set_it_up(
    client, instructor
):
    client.force_login(instructor)
    for _, path, view_name in INVENTORY:
        if view_name in OPEN_BEFORE_TWO_FACTOR | OPEN_FOR_ENROLMENT:
            continue
        response = client.get(path)
        assert response.status_code == 302, (path, view_name)
        assert response.url == "/accounts/2fa/totp/activate/?required=1", path
