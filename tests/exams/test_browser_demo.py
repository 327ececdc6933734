"""The demo exams as `make run` loads them, in Chromium: a learner starts each one,
answers (a coding case too, on the CCS-style exam), closes the browser, comes back
to the same attempt with the answer kept and the server's remaining time, and
submits; once graded, the results show the score."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from exams.models import Attempt, Blueprint, QuestionKind
from exams.services import attempt_grade
from tests.exams.test_browser import confirm_submission, nav_link
from tests.support.browser import log_in, page_open

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_exams(transactional_db):
    call_command("load_demo_exams", stdout=StringIO())
    return list(Blueprint.objects.filter(published=True).order_by("slug"))


def answer_first_question_of_kind(page, attempt: Attempt, kind: str) -> int:
    """Open the attempt's first question of `kind` ("choice" or "coding") from the
    navigation panel and answer it; its position."""
    coding = kind == "coding"
    for item in attempt.items.select_related("question"):
        if (item.question.kind == QuestionKind.CODING) != coding:
            continue
        nav_link(page, item.position).click()
        page.wait_for_url(f"**/questions/{item.position}/")
        if coding:
            page.fill("#id_diagnoses", "E11.9\nI10")
        else:
            page.locator("input[name=options]").first.check()
        expect(page.locator("#save-status")).to_have_text("Saved")
        return item.position
    raise AssertionError(f"no {kind} question in this exam")


def test_each_demo_exam_can_be_taken_left_resumed_and_finished(
    browser_page, learner, demo_exams
):
    assert {b.slug for b in demo_exams} >= {
        "cpc-full-mock",
        "cpc-practice-25",
        "ccs-mock",
        "cca-mock",
    }
    browser = browser_page.context.browser
    for blueprint in demo_exams:
        # Server time before any question page rendered: no save is numbered earlier.
        started_ms = int(timezone.now().timestamp() * 1000)
        page = page_open(browser, browser_page.base_url)
        log_in(page, learner.email)
        page.goto(f"/exams/{blueprint.slug}/")
        page.get_by_role("button", name="Start the exam").click()
        page.wait_for_url("**/questions/1/")
        attempt = Attempt.objects.get(learner=learner, blueprint=blueprint)
        answered = {answer_first_question_of_kind(page, attempt, "choice")}
        if blueprint.slug == "ccs-mock":
            answered.add(answer_first_question_of_kind(page, attempt, "coding"))
        page.context.close()

        # Another browser: the same attempt, its answers and the true time left.
        page = page_open(browser, browser_page.base_url)
        log_in(page, learner.email)
        page.goto(f"/exams/{blueprint.slug}/")
        before = timezone.now()
        page.get_by_role("link", name="Resume your attempt").click()
        page.wait_for_url("**/questions/*/")
        remaining = int(page.locator("#exam-timer").get_attribute("data-remaining"))
        after = timezone.now()
        # The page shows the whole seconds left (floored) at some instant between
        # `before` and `after`, however long the machine took: the server's
        # deadline, not a timer started afresh.
        assert int((attempt.deadline - after).total_seconds()) <= remaining
        assert remaining <= int((attempt.deadline - before).total_seconds())
        for position in answered:
            expect(nav_link(page, position)).to_contain_class("is-answered")
        # The page numbered each save by the server's clock, in milliseconds.
        now_ms = timezone.now().timestamp() * 1000
        for item in attempt.items.filter(position__in=answered):
            assert started_ms <= item.sequence <= now_ms
        page.get_by_role("button", name="Review and submit").click()
        page.wait_for_url("**/review/")
        page.get_by_role("button", name="Submit the exam").click()
        confirm_submission(page)
        page.wait_for_url("**/results/")
        expect(page.get_by_role("status")).to_contain_text("Grading")

        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.SUBMITTED
        saved = {i.position for i in attempt.items.all() if i.response is not None}
        assert saved == answered
        attempt_grade(attempt_id=attempt.pk)
        # The results page refreshes itself while grading; reloading it too
        # could race that refresh (net::ERR_ABORTED), so the test waits for it.
        expect(page.get_by_role("heading", name="By domain")).to_be_visible()
        expect(page.get_by_text("Not passed")).to_be_visible()
        page.context.close()
    assert Attempt.objects.filter(learner=learner).count() == len(demo_exams)
