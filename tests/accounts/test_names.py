"""The site calls people by the name they give: asked at sign-up, changed on the
account pages, greeted on the dashboard; an account without one is greeted
without its email and invited to add one."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_ACCOUNTS
from accounts.forms import NAME_LABEL
from accounts.views import NAME_SAVED
from tests.accounts.test_signup_and_login import NEW_EMAIL, confirmation_link, sign_up

pytestmark = pytest.mark.django_db

NAME_PAGE = reverse("accounts:name")


def test_sign_up_asks_for_the_name_first(client):
    html = client.get("/accounts/signup/").content.decode()
    assert f'<label for="id_display_name">{NAME_LABEL}' in html
    assert html.index('name="display_name"') < html.index('name="email"')


def test_sign_up_without_a_name_creates_nothing(client):
    response = sign_up(client, display_name="  ")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not get_user_model().objects.filter(email=NEW_EMAIL).exists()


def test_the_new_learner_is_greeted_by_the_name_given_at_sign_up(client):
    sign_up(client, display_name="Maria Lopez")
    assert get_user_model().objects.get(email=NEW_EMAIL).display_name == "Maria Lopez"
    client.post(confirmation_link(mail.outbox[-1]))
    html = client.get("/dashboard/").content.decode()
    assert "Welcome back, Maria Lopez." in html


def test_an_account_without_a_name_is_greeted_without_its_email(
    learner_client, learner
):
    html = learner_client.get("/dashboard/").content.decode()
    assert "Welcome back." in html
    assert learner.email not in html
    assert f'href="{NAME_PAGE}">Add your name</a>' in html


def test_the_name_is_changed_on_the_account_pages_and_exported(learner_client, learner):
    page = learner_client.get(NAME_PAGE).content.decode()
    assert f'href="{NAME_PAGE}">Your name</a>' in page  # in the account sub-navigation
    response = learner_client.post(NAME_PAGE, {"display_name": " Dana Q "})
    assert response.status_code == 302
    assert NAME_SAVED in learner_client.get(response.url).content.decode()
    learner.refresh_from_db()
    assert learner.display_name == "Dana Q"
    dashboard = learner_client.get("/dashboard/").content.decode()
    assert "Welcome back, Dana Q." in dashboard
    # The navigation's account link carries the name too.
    assert '<span class="visually-hidden">Your account: </span>Dana Q</a>' in dashboard
    export = json.loads(learner_client.get(reverse("privacy:export")).content)
    assert export["profile"]["display_name"] == "Dana Q"


def test_a_blank_name_is_refused_and_the_old_one_kept(learner_client, learner):
    learner.display_name = "Dana"
    learner.save()
    response = learner_client.post(NAME_PAGE, {"display_name": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    learner.refresh_from_db()
    assert learner.display_name == "Dana"


def test_the_name_page_needs_a_login(client):
    response = client.get(NAME_PAGE)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_demo_accounts_made_before_names_get_theirs(settings):
    settings.DEMO_ACCOUNTS_ALLOWED = True
    account = DEMO_ACCOUNTS[0]
    get_user_model().objects.create_user(account.email, "x")
    call_command("create_demo_accounts")
    names = dict(get_user_model().objects.values_list("email", "display_name"))
    assert all(names[demo.email] == demo.display_name for demo in DEMO_ACCOUNTS)
