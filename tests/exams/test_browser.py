"""A learner takes exams in Chromium: a short one that times out with exactly the
saved answers, and answers given while saves fail or hang, which wait in the page's
queue (across a reload, shown as not saved yet) and reach the database once the
connection is back, before the exam is submitted."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from exams.models import Attempt
from tests.support.browser import log_in

pytestmark = pytest.mark.browser

OFFLINE = "Not saved — retrying"


def test_time_out_submits_the_saved_answers(browser_page, learner, short):
    page = browser_page
    log_in(page, learner.email)
    page.goto("/exams/test-short/")
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/questions/1/")
    # Twenty seconds in all: the one-minute warning shows at once, said politely.
    warning = page.locator("#exam-warning")
    expect(warning).to_have_text("1 minute left.")
    expect(warning).to_have_attribute("aria-live", "polite")

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


def start_with_one_answer_saved(page, learner):
    """The "test-cpc" exam started with a stopped clock, question 1 answered "a"
    and saved; the attempt and the page's save status."""
    attempt = start_with_stopped_clock(page, learner, "test-cpc")
    status = page.locator("#save-status")
    page.get_by_label("Level 2").check()
    expect(status).to_have_text("Saved")
    return attempt, status


def nav_link(page, position):
    return page.locator(f'.exam-nav__link[data-position="{position}"]')


def expect_described(page, position, description):
    """What the navigation panel tells a screen reader about a question."""
    expect(nav_link(page, position).locator(".visually-hidden")).to_have_text(
        description
    )


def go_to_question(page, position):
    nav_link(page, position).click()
    page.wait_for_url(f"**/questions/{position}/")


def confirm_submission(page):
    """Submit with the questions left open, as the confirmation dialog asks."""
    dialog = page.get_by_role("dialog", name="Submit the exam?")
    expect(dialog).to_contain_text("unanswered")
    dialog.get_by_role("button", name="Submit anyway").click()


def go_to_review(page):
    page.get_by_role("button", name="Review and submit").click()
    page.clock.run_for(1_500)  # how long the page waits for a save before leaving
    page.wait_for_url("**/review/")


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
    expect(nav_link(page, coding)).to_have_class(re.compile(r"\bis-answered\b"))
    expect(nav_link(page, coding).locator(".exam-nav__pending")).to_be_visible()
    expect_described(page, coding, ", answered, not saved yet")
    go_to_question(page, choice)
    expect(page.get_by_label("RBRVS")).to_be_checked()
    expect(status).to_have_text(OFFLINE)
    assert saved_answers(attempt) == before

    page.unroute("**/*", fail_the_scripts_requests)
    page.clock.run_for(15_000)  # the longest back-off between retries
    expect(status).to_have_text("Saved")
    expect_described(page, coding, ", answered")
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
    attempt, status = start_with_one_answer_saved(page, learner)

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


def test_submitting_first_sends_the_answers_still_queued(browser_page, learner, exams):
    page = browser_page
    attempt, status = start_with_one_answer_saved(page, learner)

    page.route("**/*", fail_the_scripts_requests)
    page.get_by_label("Level 4").check()
    expect(status).to_have_text(OFFLINE)
    go_to_question(page, 2)
    page.get_by_label("E11.65").check()
    expect(status).to_have_text(OFFLINE)
    go_to_review(page)
    expect(page.locator("#review-counts")).to_have_text(
        "4 questions: 2 unanswered, 0 flagged, 2 not saved yet."
    )
    expect(page.locator("#review-pending").get_by_role("link")).to_have_text(
        ["Question 1", "Question 2"]
    )
    expect(page.locator("#review-unanswered").get_by_role("link")).to_have_text(
        ["Question 3", "Question 4"]
    )
    expect_described(page, 2, ", answered, not saved yet")

    page.unroute("**/*", fail_the_scripts_requests)
    page.context.set_offline(True)
    page.get_by_role("button", name="Submit the exam").click()
    expect(page.locator("#submit-problem-text")).to_have_text(
        "2 answers are not saved yet (questions 1, 2). When the connection is back "
        "they are sent and the exam is submitted. Or submit now with only your "
        "saved answers."
    )
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert saved_answers(attempt)[1] == {"options": ["a"]}

    # The page's clock stands still: only the browser's "online" event can send them.
    page.context.set_offline(False)
    confirm_submission(page)
    page.wait_for_url("**/results/")
    attempt.refresh_from_db()
    assert attempt.submitted_by == "learner"
    assert saved_answers(attempt) == {
        1: {"options": ["c"]},
        2: {"options": ["b"]},
        3: None,
        4: None,
    }
    assert all(
        item.saved_at <= attempt.finished_at
        for item in attempt.items.exclude(saved_at=None)
    )


def test_submitting_as_the_connection_comes_back_sends_the_queue_first(
    browser_page, learner, exams
):
    page = browser_page
    attempt = start_with_stopped_clock(page, learner, "test-cpc")
    page.route("**/*", fail_the_scripts_requests)
    page.get_by_label("Level 4").check()
    expect(page.locator("#save-status")).to_have_text(OFFLINE)
    go_to_review(page)

    # Back online, with the page's next retry still far off: submitting sends it.
    page.unroute("**/*", fail_the_scripts_requests)
    page.get_by_role("button", name="Submit the exam").click()
    confirm_submission(page)
    page.wait_for_url("**/results/")
    assert saved_answers(attempt) == {1: {"options": ["c"]}, 2: None, 3: None, 4: None}


def test_the_learner_may_submit_without_the_answers_that_cannot_be_sent(
    browser_page, learner, exams
):
    page = browser_page
    attempt, status = start_with_one_answer_saved(page, learner)

    page.route("**/questions/*/", fail_the_scripts_requests)  # not the submission
    page.get_by_label("Level 4").check()
    expect(status).to_have_text(OFFLINE)
    go_to_review(page)
    page.get_by_role("button", name="Submit the exam").click()
    expect(page.locator("#submit-problem-text")).to_contain_text(
        "1 answer is not saved yet (question 1)."
    )

    page.get_by_role("button", name="Submit without them").click()
    confirm_submission(page)
    page.wait_for_url("**/results/")
    assert saved_answers(attempt) == {1: {"options": ["a"]}, 2: None, 3: None, 4: None}
    assert page.evaluate("Object.keys(localStorage)") == []


def test_a_refused_answer_stays_reported_while_later_ones_are_saved(
    browser_page, learner, exams
):
    page = browser_page
    attempt = start_with_stopped_clock(page, learner, "test-cpc")
    status = page.locator("#save-status")
    page.route("**/*", fail_the_scripts_requests)
    go_to_question(page, 3)  # choose 2
    page.get_by_label("Code to the highest specificity.").check()
    page.get_by_label("Code uncertain outpatient diagnoses as confirmed.").check()
    page.get_by_label("Signs integral to a diagnosis are not coded.").check()
    expect(status).to_have_text(OFFLINE)
    go_to_question(page, 1)
    page.get_by_label("Level 2").check()
    expect(status).to_have_text(OFFLINE)

    page.unroute("**/*", fail_the_scripts_requests)
    page.clock.run_for(15_000)  # the longest back-off between retries
    expect_described(page, 1, ", answered")
    expect(status).to_have_text("Not saved (question 3): Choose at most 2 option(s).")
    expect_described(page, 3, ", unanswered")
    assert saved_answers(attempt) == {1: {"options": ["a"]}, 2: None, 3: None, 4: None}


def hang_the_scripts_requests(route):
    """Leave the saves and submissions unanswered, as a network or server that
    hangs does, but not the pages."""
    if route.request.resource_type != "fetch":
        route.continue_()


def test_a_save_that_hangs_fails_at_its_time_limit_and_is_retried(
    browser_page, learner, exams
):
    page = browser_page
    attempt = start_with_stopped_clock(page, learner, "test-cpc")
    status = page.locator("#save-status")
    page.route("**/*", hang_the_scripts_requests)
    with page.expect_request("**/questions/1/"):
        page.get_by_label("Level 4").check()
    expect(status).to_have_text("Saving…")

    page.clock.run_for(15_000)  # the time limit of a request
    expect(status).to_have_text(OFFLINE)
    assert saved_answers(attempt)[1] is None

    page.unroute("**/*", hang_the_scripts_requests)
    page.clock.run_for(1_000)  # the first back-off
    expect(status).to_have_text("Saved")
    assert saved_answers(attempt)[1] == {"options": ["c"]}


def test_a_submission_waiting_for_a_save_that_hangs_says_which_answer_waits(
    browser_page, learner, exams
):
    page = browser_page
    attempt = start_with_stopped_clock(page, learner, "test-cpc")
    page.route("**/*", hang_the_scripts_requests)
    page.get_by_label("Level 4").check()
    go_to_review(page)
    submit_anyway = page.get_by_role("button", name="Submit without them")
    expect(submit_anyway).to_be_hidden()

    page.get_by_role("button", name="Submit the exam").click()
    expect(page.locator("#save-status")).to_have_text(
        "Sending your answers before submitting…"
    )
    page.clock.run_for(15_000)  # the time limit of a request
    expect(page.locator("#submit-problem-text")).to_contain_text(
        "1 answer is not saved yet (question 1)."
    )
    expect(submit_anyway).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS

    page.unroute("**/*", hang_the_scripts_requests)
    page.clock.run_for(1_000)  # the first back-off
    confirm_submission(page)
    page.wait_for_url("**/results/")
    assert saved_answers(attempt) == {1: {"options": ["c"]}, 2: None, 3: None, 4: None}
