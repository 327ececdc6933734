"""A learner enrols, reads a lesson, answers a knowledge check (a wrong first
try, then a second) and sees their progress change without a reload, in a real
Chromium under the strict CSP."""

import re

import pytest
from playwright.sync_api import expect

from tests.courses.conftest import load_sample
from tests.support.browser import log_in

pytestmark = pytest.mark.browser


def test_enrol_read_answer_and_see_progress(browser_page, learner):
    load_sample()
    page = browser_page
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, learner.email)

    page.get_by_role("link", name="Courses").first.click()
    page.get_by_role("link", name="Sample: Coding Diabetes").click()
    page.get_by_role("button", name="Enrol in this course").click()
    page.wait_for_url("**/diabetes-categories/")
    expect(
        page.get_by_role("heading", name="Diabetes categories", level=1)
    ).to_be_visible()
    progress = page.locator("[data-progress-text]")
    expect(progress).to_have_text("0 of 3 lessons complete (0%)")

    check = page.locator("#check-type2")
    check.get_by_label("E10").check()
    check.get_by_role("button", name="Check answer").click()
    expect(check.get_by_text("Not quite")).to_be_visible()
    # The chosen option's feedback, and a second try before the answer.
    expect(check.get_by_text("E10 is type 1 diabetes.")).to_be_visible()
    expect(check.get_by_text("Try 1 of 2.")).to_be_visible()
    expect(check.get_by_text("Categories E08 to E13")).to_have_count(0)
    expect(progress).to_have_text("0 of 3 lessons complete (0%)")

    check.get_by_label("E11").check()
    check.get_by_role("button", name="Try again").click()
    expect(check.get_by_text("Correct", exact=True)).to_be_visible()
    expect(check.get_by_text("Correct on the 2nd try", exact=False)).to_be_visible()
    expect(check.get_by_text("Categories E08 to E13")).to_be_visible()
    expect(check.get_by_role("button", name="Try again")).to_have_count(0)
    expect(progress).to_have_text("1 of 3 lessons complete (33%)")
    expect(page.locator("[data-lesson-status]")).to_have_text("Complete")
    assert re.search(r"/diabetes-categories/$", page.url)

    page.get_by_role("link", name="Diabetes with complications →").click()
    page.get_by_role("button", name="Mark lesson complete").click()
    expect(
        page.get_by_text("complete once each of its knowledge checks is answered")
    ).to_be_visible()
    expect(progress).to_have_text("1 of 3 lessons complete (33%)")

    page.goto("/dashboard/")
    expect(page.get_by_text("1 of 3 lessons (33%)")).to_be_visible()
    page.get_by_role("link", name="Resume").click()
    page.wait_for_url("**/diabetes-complications/")
    assert not problems, problems
