"""In a real Chromium: a learner codes a case end to end and reads the partial
credit explained; an instructor authors a case with a key in the Wagtail admin,
a second instructor approves it, and it appears in the library."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from case_studies.bundles import bundle_import
from tests.case_studies.conftest import bundle, load_small_code_sets
from tests.support.browser import instructor_page, log_in

pytestmark = pytest.mark.browser


def test_learner_codes_a_case_and_reads_partial_credit(browser_page, learner):
    load_small_code_sets()
    bundle_import(bundle("outpatient.json"))
    page = browser_page
    log_in(page, learner.email)
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


def insert_block(page, field: str, label: str):
    """Open a StreamField's block chooser and pick a block type."""
    section = page.locator(f"[data-contentpath='{field}']").first
    button = section.get_by_role("button", name="Insert a block").first
    option = page.locator("[role=option]", has_text=label).first
    for _ in range(3):
        button.click()
        try:
            option.wait_for(state="visible", timeout=3000)
            break
        except PlaywrightTimeoutError:
            continue
    option.click()


def test_instructor_authors_a_case_another_approves_it(
    browser_page, instructor, administrator
):
    from accounts.roles import Role
    from case_studies.models import CaseLibraryPage, CaseStudyPage
    from tests.support.accounts import make_user

    load_small_code_sets()
    reviewer = make_user("second.instructor@example.test", Role.INSTRUCTOR)
    library = CaseLibraryPage.objects.get()
    author = instructor_page(browser_page, instructor)
    author.goto(f"/admin/pages/add/case_studies/casestudypage/{library.pk}/")
    author.fill("#id_title", "Browser-authored diabetes visit")
    author.fill("#id_summary", "A fictional visit written in the admin.")
    author.select_option("#id_setting", "physician_office")
    author.fill("#id_specialty", "Family medicine")
    author.fill("#id_date_of_service", "2026-05-12")
    author.keyboard.press("Escape")
    insert_block(author, "documentation", "Text")
    editor = author.locator("[data-contentpath='documentation'] [contenteditable=true]")
    editor.first.click()
    author.keyboard.type("Fictional patient seen for diabetes with high sugars.")

    author.get_by_role("tab", name="Answer key").click()
    insert_block(author, "answer_key", "Diagnosis (ICD-10-CM)")
    author.fill("[name='answer_key-0-value-code']", "E11.6")
    author.keyboard.press("Escape")
    author.keyboard.press("Tab")
    # Checked as the instructor types, before any save.
    expect(author.locator(".key-code-check").first).to_contain_text(
        "E11.6 is a category header"
    )
    author.fill("[name='answer_key-0-value-rationale']", "Diabetes with hyperglycemia.")
    author.get_by_role("button", name="Save draft").click()
    # The key is checked against the code set: a header is refused, by line.
    expect(author.get_by_text("could not be created").first).to_be_visible()
    author.get_by_role("tab", name="Answer key").click()
    expect(
        author.get_by_text("Diagnosis 1: E11.6 is a category header")
    ).to_be_visible()
    author.fill("[name='answer_key-0-value-code']", "E11.65")
    author.get_by_role("button", name="More actions").click()
    author.get_by_role("button", name="Submit to Answer key review").click()
    expect(author.get_by_text("created and submitted for moderation")).to_be_visible()

    page = CaseStudyPage.objects.get(slug="browser-authored-diabetes-visit")
    assert not page.live
    reviewer_page = instructor_page(browser_page, reviewer)
    reviewer_page.goto(f"/admin/pages/{page.pk}/edit/")
    reviewer_page.get_by_role("button", name="More actions").click()
    # With reapproval on edit (settings), Wagtail labels the final approval
    # "Approve", not "Approve and Publish": it still publishes an unchanged page.
    with reviewer_page.expect_navigation():
        reviewer_page.get_by_role("button", name="Approve", exact=True).click()
    page.refresh_from_db()
    assert page.live

    reviewer_page.goto("/practice/")
    expect(
        reviewer_page.get_by_role("link", name="Browser-authored diabetes visit")
    ).to_be_visible()
