"""Billing practice in Chromium, end to end: a learner builds a claim from the demo
epidural injection case, sees it as an 837P, runs the scrubber, fixes what it
flags, submits, receives an 835 with a denied line, works the denial and sends an
appeal; an instructor scores the appeal's rubric and the learner reads the score."""

import pytest
from playwright.sync_api import expect

from tests.billing.conftest import load_claim_code_sets, publish_test_world
from tests.support.audit import axe_violations, horizontal_overflow
from tests.support.browser import NARROWEST, PHONE, instructor_page, log_in

pytestmark = pytest.mark.browser

FACE_SHEET = {
    "insurance-payer_id": "DEMOMCR",
    "insurance-plan_type": "MB",
    "patient-last_name": "TESTPATIENT",
    "patient-first_name": "WALTER",
    "patient-birth_date": "1979-03-14",
    "patient-sex": "M",
    "patient-address-line1": "12 ELM ST",
    "patient-address-city": "SPRINGFIELD",
    "patient-address-state": "IL",
    "patient-address-zip": "62704",
    "insurance-insured-last_name": "TESTPATIENT",
    "insurance-insured-first_name": "WALTER",
    "insurance-insured-birth_date": "1979-03-14",
    "insurance-relationship": "18",
    "diagnoses-0": "M51.17",
    "patient_control_number": "RB-20526",
    "billing_provider-tax_id": "364829175",
    "billing_provider-name": "RIVERBEND SPINE AND PAIN CLINIC",
    "billing_provider-npi": "1234567893",
    "billing_provider-address-line1": "400 RIVER RD",
    "billing_provider-address-city": "SPRINGFIELD",
    "billing_provider-address-state": "IL",
    "billing_provider-address-zip": "627040001",
    "rendering_provider-name": "OKAFOR, ADA",
    "rendering_provider-npi": "1987654328",
}
LINES = [
    ("64483", "RT", "650.00", "1"),
    ("J1100", "JZ", "40.00", "10"),
]


def fill_claim(page) -> None:
    for box, value in FACE_SHEET.items():
        page.locator(f"#box-{box}").fill(value)
    for n, (code, modifier, charge, units) in enumerate(LINES):
        page.locator(f"#box-lines-{n}-service_date").fill("2026-05-27")
        page.locator(f"#box-lines-{n}-place_of_service").fill("11")
        page.locator(f"#box-lines-{n}-code").fill(code)
        page.locator(f"#box-lines-{n}-modifiers").fill(modifier)
        page.locator(f"#box-lines-{n}-pointers").fill("A")
        page.locator(f"#box-lines-{n}-charge").fill(charge)
        page.locator(f"#box-lines-{n}-units").fill(units)
        page.locator(f"#box-lines-{n}-rendering_npi").fill("1987654328")


def test_a_claim_from_the_record_to_an_appeal_scored_by_an_instructor(
    browser_page, learner, instructor
):
    load_claim_code_sets()
    publish_test_world()
    page = browser_page
    log_in(page, learner.email)
    page.goto("/billing/")
    page.get_by_role("link", name="Test epidural injection claim").click()
    page.wait_for_url("**/billing/attempts/*/")
    expect(page.get_by_role("heading", name="CMS-1500 (02/12)")).to_be_visible()
    assert axe_violations(page) == []
    expect(page.locator(".face-sheet")).to_contain_text("1EG4TE5MK72")

    # The member ID left off and the drug line pointing at an empty box 21 letter.
    fill_claim(page)
    page.locator("#box-lines-1-pointers").fill("C")
    page.get_by_role("button", name="Run the scrubber").click()
    scrub = page.locator(".billing-scrub")
    expect(scrub).to_contain_text("1a")
    expect(scrub).to_contain_text("points to C")
    expect(page.locator(".billing-x12")).to_contain_text("Box 1a")

    page.locator("#box-insurance-member_id").fill("1EG4TE5MK72")
    page.locator("#box-lines-1-pointers").fill("A")
    page.get_by_role("button", name="Save").click()
    x12 = page.locator(".billing-x12")
    expect(x12).to_contain_text("SV1*HC:64483:RT*650")
    expect(x12).to_contain_text("HI*ABK:M5117")

    page.get_by_role("button", name="Submit the claim").click()
    remittance = page.locator(".billing-remittance")
    expect(remittance).to_contain_text("CO-50")
    expect(remittance).to_contain_text("M127")
    expect(page.locator(".billing-feedback")).to_contain_text("Box")

    denial = page.locator(".denial").first
    denial.get_by_label("Category").select_option("medical_necessity")
    denial.get_by_label("Fix").select_option("appeal")
    denial.get_by_role("button", name="Work this denial").click()
    expect(page.locator(".denial").first).to_contain_text("2 of 2 points")
    remittance_claim = page.locator(".billing-remittance p", has_text="claim no.")
    claim_number = remittance_claim.first.inner_text()
    number = claim_number.split("payer claim no. ")[1].split(" ")[0]
    page.get_by_label("Appeal letter").fill(
        f"Claim RB-20526, payer claim number {number}: line 1 was denied with "
        "CARC 50 and RARC M127. The enclosed procedure note and physical therapy "
        "record meet policy DEMO-LCD-004. Please reprocess the line and pay it."
    )
    page.get_by_role("button", name="Send the appeal").click()
    expect(page.locator(".appeal-checks")).to_contain_text("present")
    expect(page.locator(".denial").first).to_contain_text("Waiting for an instructor")

    staff = instructor_page(browser_page, instructor)
    staff.goto("/billing/appeals/")
    staff.get_by_role("link", name="Test epidural injection claim, line 1").click()
    staff.get_by_label("Accuracy of the argument (0–3)").fill("3")
    staff.get_by_label("Documentation cited fits the denial (0–3)").fill("3")
    staff.get_by_label("Professional tone and concision (0–2)").fill("2")
    staff.get_by_label("Comment to the learner").fill("Clear and complete.")
    staff.get_by_role("button", name="Save the score").click()
    staff.wait_for_url("**/billing/appeals/")
    expect(staff.locator("table")).to_contain_text("Scored by")

    page.reload()
    expect(page.locator(".denial").first).to_contain_text(
        "Instructor's score: 12.00 of 12.00"
    )
    expect(page.locator(".denial").first).to_contain_text("Clear and complete.")
    assert axe_violations(page) == []


def test_the_claim_form_and_the_prediction_fit_a_phone_and_pass_axe(
    browser_page, learner
):
    load_claim_code_sets()
    publish_test_world()
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, learner.email)
    for title in ("Test epidural injection claim", "Test scrub prediction"):
        page.goto("/billing/")
        page.get_by_role("link", name=title).click()
        page.wait_for_url("**/billing/attempts/*/")
        assert axe_violations(page) == [], title
        for width in (PHONE, NARROWEST):
            page.set_viewport_size(width)
            assert horizontal_overflow(page) is None, (title, width)
