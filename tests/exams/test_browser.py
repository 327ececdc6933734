"""A learner takes a short timed exam in Chromium, answers two questions, waits
for the time-out and finds the attempt submitted with exactly the saved answers."""

import pytest
from playwright.sync_api import expect

from exams.models import Attempt
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def test_time_out_submits_the_saved_answers(browser_page, learner, short):
    page = browser_page
    log_in(page, learner.email)
    page.goto("/exams/test-short/")
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/questions/1/")
    # Twenty seconds in all: the one-minute warning shows at once.
    expect(page.get_by_role("alert")).to_have_text("1 minute left.")

    page.get_by_label("Level 3").check()
    expect(page.locator("#save-status")).to_have_text("Saved")
    page.get_by_role("button", name="Save and next").click()
    page.wait_for_url("**/questions/2/")
    page.get_by_label("E11.65").check()
    page.get_by_label("Flag for review").check()
    expect(page.locator("#save-status")).to_have_text("Saved")
    expect(page.locator('.exam-nav__link[data-position="2"]')).to_have_class(
        "exam-nav__link is-answered is-flagged"
    )

    page.wait_for_url("**/results/", timeout=40_000)
    attempt = Attempt.objects.get(learner=learner)
    assert attempt.status != Attempt.Status.IN_PROGRESS
    assert attempt.finished_at == attempt.deadline
    saved = {item.position: item.response for item in attempt.items.all()}
    assert saved == {1: {"options": ["b"]}, 2: {"options": ["b"]}, 3: None}
    assert attempt.items.get(position=2).flagged
