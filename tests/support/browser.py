"""Driving the site in Debian's Chromium through Playwright: the browser, pages on
the live server, and logging in as a person does (with a TOTP code for staff)."""

import time
from pathlib import Path

from playwright.sync_api import expect

from tests.support.accounts import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
# Long enough for a busy 2-core CI machine running two test workers, each with its
# own browser and live server; a broken page still fails, only later.
TIMEOUT_MS = 20_000
# Viewports the layout tests look through: a common phone, the narrowest phone
# the site supports, a laptop.
PHONE = {"width": 375, "height": 800}
NARROWEST = {"width": 320, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
# expect() keeps its own 5 s default, apart from the context's action timeout.
expect.set_options(timeout=TIMEOUT_MS)


def chromium_launch(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )


def page_open(browser, base_url: str):
    """A page in a fresh browser context (its own cookies: another person, or the
    same person on another computer); `page.base_url` is the site's address."""
    context = browser.new_context(base_url=base_url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.base_url = base_url
    return page


def current_totp(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(
    page, email: str, totp_secret: str | None = None, password: str = PASSWORD
) -> None:
    """Log in through the browser (with a TOTP code for staff) and land on the
    dashboard."""
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign In").click()
    if totp_secret:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.fill("#id_code", current_totp(totp_secret))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def instructor_page(browser_page, user):
    """A new browser context logged in as `user`, an instructor, with TOTP."""
    from accounts.demo import DEMO_TOTP_SECRET
    from accounts.services import user_enable_totp

    user_enable_totp(user=user, secret=DEMO_TOTP_SECRET)
    page = page_open(browser_page.context.browser, browser_page.base_url)
    log_in(page, user.email, DEMO_TOTP_SECRET)
    return page
