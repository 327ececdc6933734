"""In a real Chromium: a learner codes a case end to end and reads the partial
credit explained; an instructor authors a case with a key in the Wagtail admin,
a second instructor approves it, and it appears in the library."""

import pytest
from playwright.sync_api import expect

from case_studies.bundles import bundle_import
from tests.case_studies.conftest import bundle, load_small_code_sets
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, user, totp_secret=None):
    page.goto("/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp_secret:
        from tests.accounts.test_browser_account_journey import current_totp

        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.fill("#id_code", current_totp(totp_secret))
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def test_learner_codes_a_case_and_reads_partial_credit(browser_page, learner):
    load_small_code_sets()
    bundle_import(bundle("outpatient.json"))
    page = browser_page
    log_in(page, learner)
    page.goto("/practice/")
    page.get_by_role("link", name="Test office visit for type 2 diabetes").click()
    page.wait_for_url("**/practice/cases/test-office-diabetes/")

    first, second = page.locator("#dx-0-code"), page.locator("#dx-1-code")
    first.fill("E78.5")
    second.fill("E11.9")
    page.locator("#svc-0-code").fill("99214")
    page.locator("#svc-0-pointers").fill("1")
    second.press("Escape")

    # An unknown code is flagged before submitting.
    third = page.locator("#dx-2-code")
    third.fill("E11.6")
    third.press("Tab")
    expect(page.locator(".code-message.is-invalid")).to_contain_text("header")
    third.fill("")

    # Reorder by keyboard: diagnosis 2 moves up, and the pointer follows it.
    move_up = page.get_by_role("button", name="Move up diagnosis 2")
    move_up.focus()
    page.keyboard.press("Enter")
    expect(page.locator("input[name='dx-0-code']")).to_have_value("E11.9")
    expect(page.locator("#svc-0-pointers")).to_have_value("2")
    page.locator("#svc-0-pointers").fill("1, 2")

    page.get_by_role("button", name="Submit for feedback").dblclick()
    page.wait_for_url("**/practice/attempts/*/")
    expect(
        page.get_by_role("heading", name="Feedback: Test office visit")
    ).to_be_visible()
    feedback = page.locator(".feedback-line.status-partial").first
    expect(feedback).to_contain_text("right category")
    expect(feedback).to_contain_text("TESTKEY-ERROR")
    expect(feedback).to_contain_text("TESTKEY-RATIONALE")
    assert learner.case_attempts.filter(submitted_at__isnull=False).count() == 1
