"""A visitor signs up, confirms the email, turns on two-factor authentication and
logs in again with a TOTP code, all in a real Chromium."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from tests.support.accounts import PASSWORD
from tests.support.browser import current_totp, log_in

pytestmark = [
    pytest.mark.browser,
]

EMAIL = "browser.learner@example.test"


def test_sign_up_confirm_log_in_and_turn_on_two_factor(browser_page):
    page = browser_page
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    page.fill("#id_display_name", "Maria Lopez")
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)[
        0
    ]
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
    expect(page.get_by_text("Welcome back, Maria Lopez.")).to_be_visible()

    page.goto("/accounts/2fa/totp/activate/")
    # Confirming the email logged the visitor in without a password, so turning on
    # two-factor asks for the password first.
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", current_totp(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/**")
    assert get_user_model().objects.get(email=EMAIL).authenticator_set.count() == 2

    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/login/")
    page.fill("#id_login", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    # A code is accepted only once; wait for the next period rather than reuse it.
    time.sleep(31 - time.time() % 30)
    page.fill("#id_code", current_totp(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    assert page.get_by_text("Your dashboard").is_visible()


def test_demo_style_instructor_reaches_admin_and_learner_does_not(
    browser_page, instructor, learner
):
    from accounts.demo import DEMO_TOTP_SECRET
    from accounts.services import user_enable_totp

    user_enable_totp(user=instructor, secret=DEMO_TOTP_SECRET)
    page = browser_page
    log_in(page, learner.email)
    page.goto("/admin/")
    assert page.url.startswith(f"{page.base_url}/accounts/login/")
    assert page.get_by_text("Wagtail admin").count() == 0
    page.get_by_role("button", name="Log out").click()

    log_in(page, instructor.email, DEMO_TOTP_SECRET)
    page.goto("/admin/")
    assert page.url.endswith("/admin/")
    expect(page).to_have_title(re.compile("^Dashboard"))
