"""A learner takes exams in Chromium: a short one that times out with exactly the
saved answers, and answers given while saves fail, which wait in the page's queue
(across a reload) and reach the database once the connection is back."""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from exams.models import Attempt
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

OFFLINE = "Offline — will retry"


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


def start_with_stopped_clock(page, learner, slug) -> Attempt:
    """Start the exam with the page's clock stopped, so that a failed save is
    retried only when the test moves the clock on or the browser comes online."""
    page.clock.install()
    log_in(page, learner.email)
    page.goto(f"/exams/{slug}/")
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/questions/1/")
    page.clock.pause_at(datetime.now() + timedelta(seconds=1))
    return Attempt.objects.get(learner=learner)


def go_to_question(page, position):
    page.locator(f'.exam-nav__link[data-position="{position}"]').click()
    page.wait_for_url(f"**/questions/{position}/")


def saved_answers(attempt):
    return {item.position: item.response for item in attempt.items.all()}


def fail_the_scripts_requests(route):
    """Fail the saves but not the pages, so that the learner can still move between
    questions and reload (going offline would stop both)."""
    if route.request.resource_type == "fetch":
        route.abort("internetdisconnected")
    else:
        route.continue_()


def test_answers_given_while_saves_fail_are_kept_and_sent_later(
    browser_page, learner, exams
):
    page = browser_page
    attempt = start_with_stopped_clock(page, learner, "test-ccs")
    position = {
        item.question.kind: item.position
        for item in attempt.items.select_related("question")
    }
    choice, coding = position["single"], position["coding"]
    status = page.locator("#save-status")
    go_to_question(page, choice)
    page.get_by_label("APC").check()
    expect(status).to_have_text("Saved")

    page.route("**/*", fail_the_scripts_requests)
    page.get_by_label("MS-DRG").check()
    expect(status).to_have_text(OFFLINE)
    page.get_by_label("RBRVS").check()
    expect(status).to_have_text(OFFLINE)
    go_to_question(page, coding)
    diagnoses = page.get_by_label("Diagnosis codes (ICD-10-CM)")
    diagnoses.fill("E11.9\nI10")
    page.clock.run_for(1_000)  # the pause in typing that saves a coding answer
    expect(status).to_have_text(OFFLINE)
    before = {choice: {"options": ["b"]}, coding: None}
    assert saved_answers(attempt) == before

    page.reload()
    expect(diagnoses).to_have_value("E11.9\nI10")
    expect(status).to_have_text(OFFLINE)
    go_to_question(page, choice)
    expect(page.get_by_label("RBRVS")).to_be_checked()
    expect(status).to_have_text(OFFLINE)
    assert saved_answers(attempt) == before

    page.unroute("**/*", fail_the_scripts_requests)
    page.clock.run_for(15_000)  # the longest back-off between retries
    expect(status).to_have_text("Saved")
    assert saved_answers(attempt) == {
        choice: {"options": ["c"]},
        coding: {
            "diagnoses": [{"code": "E11.9"}, {"code": "I10"}],
            "procedures": [],
            "service_lines": [],
        },
    }


def test_coming_back_online_sends_the_queued_answer_at_once(
    browser_page, learner, exams
):
    page = browser_page
    attempt = start_with_stopped_clock(page, learner, "test-cpc")
    status = page.locator("#save-status")
    page.get_by_label("Level 2").check()
    expect(status).to_have_text("Saved")

    page.context.set_offline(True)
    page.get_by_label("Level 3").check()
    expect(status).to_have_text(OFFLINE)
    page.get_by_label("Level 4").check()
    expect(status).to_have_text(OFFLINE)
    assert saved_answers(attempt)[1] == {"options": ["a"]}

    # The page's clock stands still: only the browser's "online" event can send it.
    page.context.set_offline(False)
    expect(status).to_have_text("Saved")
    assert saved_answers(attempt)[1] == {"options": ["c"]}
