"""The exam as a learner meets it in Chromium (issue #19): taken from start to
results with the keyboard alone, announced through polite live regions, the flag
box beside its label, and every exam page free of sideways scrolling at 375 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from exams.models import Attempt, Question
from exams.services import attempt_grade
from tests.support.browser import PHONE, TIMEOUT_MS, log_in

pytestmark = pytest.mark.browser


def new_page(browser_page, **options):
    context = browser_page.context.browser.new_context(
        base_url=browser_page.base_url, **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def focused(page) -> str:
    """The focused element's accessible-ish name: its label, text or value."""
    return page.evaluate(
        """() => {
        const el = document.activeElement;
        const label = el.labels && el.labels[0];
        return ((label && label.textContent) || el.textContent || el.value || "")
            .replace(/\\s+/g, " ").trim();
    }"""
    )


def tab_to(page, text, *, backwards=False, limit=60):
    """Press Tab (or Shift+Tab) until the element named `text` has the focus."""
    for _ in range(limit):
        if focused(page).startswith(text):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{text!r} never took the focus; last: {focused(page)!r}")


def test_an_exam_taken_with_the_keyboard_alone(browser_page, learner, cpc):
    page = browser_page
    log_in(page, learner.email)
    page.goto("/exams/test-cpc/")
    tab_to(page, "Start the exam")
    page.keyboard.press("Enter")
    page.wait_for_url("**/questions/1/")

    status = page.locator("#save-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(page.locator("#exam-warning")).to_have_attribute("aria-live", "polite")
    # The ticking clock is a timer (never read out each second).
    expect(page.locator("#exam-timer")).to_have_attribute("role", "timer")

    for position in range(1, 5):
        if position > 1:
            page.wait_for_url(f"**/questions/{position}/")
        # Each question's page starts at its heading, past the header and timer.
        expect(page.locator("#question-heading")).to_be_focused()
        expect(page.locator(".exam-nav__link[aria-current]")).to_have_attribute(
            "data-position", str(position)
        )
        page.keyboard.press("Tab")  # the first option
        page.keyboard.press("Space")
        if position == 3:  # choose two: the next box, then the flag
            page.keyboard.press("Tab")
            page.keyboard.press("Space")
            tab_to(page, "Flag for review")
            page.keyboard.press("Space")
            expect(page.get_by_label("Flag for review")).to_be_checked()
        expect(status).to_have_text("Saved")
        tab_to(page, "Save and next" if position < 4 else "Review and submit")
        page.keyboard.press("Enter")

    page.wait_for_url("**/review/")
    expect(page.locator("#review-counts")).to_have_text(
        "4 questions: 0 unanswered, 1 flagged."
    )
    tab_to(page, "Submit the exam")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Submit the exam?")
    expect(dialog).to_contain_text(
        "You are submitting with 1 question flagged for review."
    )
    # The safe choice has the focus; Escape closes, nothing is submitted.
    expect(dialog.get_by_role("button", name="Go back to the review")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert Attempt.objects.get(learner=learner).status == Attempt.Status.IN_PROGRESS

    tab_to(page, "Submit the exam", backwards=True)
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    tab_to(page, "Submit anyway")
    page.keyboard.press("Enter")
    page.wait_for_url("**/results/")
    assert Attempt.objects.get(learner=learner).status == Attempt.Status.SUBMITTED


def test_the_flag_box_sits_beside_its_label(browser_page, learner, cpc):
    page = browser_page
    log_in(page, learner.email)
    page.goto("/exams/test-cpc/")
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/questions/1/")

    box = page.locator("#id_flag").bounding_box()
    label = page.locator("label[for=id_flag]").bounding_box()
    assert box["x"] + box["width"] <= label["x"]
    # On one line: the box's middle is within the label's height.
    middle = box["y"] + box["height"] / 2
    assert label["y"] <= middle <= label["y"] + label["height"]

    page.locator("label[for=id_flag]").click()
    expect(page.locator("#id_flag")).to_be_checked()
    expect(page.locator("#save-status")).to_have_text("Saved")
    attempt = Attempt.objects.get(learner=learner)
    assert attempt.items.get(position=1).flagged


def assert_fits(page):
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, page.url


def test_no_exam_page_scrolls_sideways_on_a_phone(browser_page, learner, exams):
    # The widest question: an inpatient coding item with its record.
    question = Question.objects.get(slug="t-ccs-case-1")
    Question.objects.filter(pk=question.pk).update(
        key=question.key | {"setting": "inpatient"}
    )
    page = new_page(browser_page, viewport=PHONE)
    log_in(page, learner.email)
    page.goto("/exams/test-ccs/")
    assert_fits(page)
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/questions/1/")
    attempt = Attempt.objects.get(learner=learner, blueprint__slug="test-ccs")
    for item in attempt.items.all():
        page.goto(reverse("exams:question", args=[attempt.pk, item.position]))
        assert_fits(page)
    page.goto(reverse("exams:review", args=[attempt.pk]))
    assert_fits(page)
    page.get_by_role("button", name="Submit the exam").click()
    expect(page.get_by_role("dialog", name="Submit the exam?")).to_be_visible()
    assert_fits(page)
    page.context.close()

    # Without script: the server's confirmation page, then the results with the
    # review of every question (test-cpc shows it at once).
    page = new_page(browser_page, viewport=PHONE, java_script_enabled=False)
    log_in(page, learner.email)
    page.goto("/exams/test-cpc/")
    assert_fits(page)
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/questions/1/")
    assert_fits(page)
    page.get_by_role("button", name="Review and submit").click()
    page.wait_for_url("**/review/")
    assert_fits(page)
    page.get_by_role("button", name="Submit the exam").click()
    expect(page.get_by_role("heading", name="Submit the exam?")).to_be_visible()
    expect(page.locator("#confirm-warning")).to_contain_text(
        "You are submitting with 4 questions unanswered."
    )
    assert_fits(page)
    page.get_by_role("button", name="Submit anyway").click()
    page.wait_for_url("**/results/")
    attempt = Attempt.objects.get(learner=learner, blueprint__slug="test-cpc")
    attempt_grade(attempt_id=attempt.pk)
    # Without script the page cannot refresh itself; its link does it.
    page.get_by_role("link", name="Refresh now").click()
    expect(page.get_by_role("heading", name="By domain")).to_be_visible()
    page.get_by_text("Time per question").click()
    assert_fits(page)
    page.context.close()
