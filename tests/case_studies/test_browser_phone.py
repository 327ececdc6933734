"""The case pages on a 375 px phone in Chromium: nothing scrolls sideways (the
library, a case's practice page, the feedback on a very long code), and every
field of the line editor keeps its label directly above its own input."""

import pytest
from playwright.sync_api import expect

from case_studies.bundles import bundle_import
from tests.case_studies.conftest import bundle, load_small_code_sets
from tests.support.audit import horizontal_overflow
from tests.support.browser import PHONE, log_in

pytestmark = pytest.mark.browser

OFFICE = "/practice/cases/test-office-diabetes/"
INPATIENT = "/practice/cases/test-inpatient-dka/"
# A learner may type any 100 characters in a code field.
LONG_CODE = "E11" + "9" * 60
# Each input's own label and input, with their boxes, in one round trip.
FIELD_BOXES = """(selector) => [...document.querySelectorAll(selector)].map((input) => {
  const label = document.querySelector(`label[for="${input.id}"]`);
  const box = (el) => { const r = el.getBoundingClientRect();
    return {x: r.x, y: r.y, right: r.right, bottom: r.bottom}; };
  return {id: input.id, input: box(input), label: label && box(label)};
})"""


def assert_fits(page):
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], (page.url, horizontal_overflow(page))


def assert_labels_sit_on_their_inputs(page, selector):
    fields = page.evaluate(FIELD_BOXES, selector)
    assert fields, selector
    for field in fields:
        label, box = field["label"], field["input"]
        assert label is not None, field["id"]
        # Directly above its own input: same left edge, touching or nearly.
        assert abs(label["x"] - box["x"]) <= 1, field
        assert 0 <= box["y"] - label["bottom"] <= 8, field
        # And inside the window, not wrapped off to the side.
        assert box["right"] <= PHONE["width"] and label["right"] <= box["right"] + 1


def test_case_pages_fit_a_phone_and_keep_labels_on_their_inputs(browser_page, learner):
    load_small_code_sets()
    bundle_import(bundle("outpatient.json"))
    bundle_import(bundle("inpatient.json"))
    page = browser_page
    page.set_viewport_size(PHONE)
    log_in(page, learner.email)

    page.goto("/practice/")
    assert_fits(page)

    page.goto(INPATIENT)
    assert_fits(page)
    assert_labels_sit_on_their_inputs(page, ".code-row input")

    page.goto(OFFICE)
    assert_fits(page)
    assert_labels_sit_on_their_inputs(page, ".service-row input")
    assert_labels_sit_on_their_inputs(page, "[data-rows='dx'] input")

    page.locator("#dx-0-code").fill(LONG_CODE)
    page.locator("#dx-0-code").press("Escape")
    page.locator("#svc-0-code").fill("99214")
    page.locator("#svc-0-code").press("Escape")
    page.get_by_role("button", name="Submit for feedback").click()
    page.wait_for_url("**/practice/attempts/*/")
    expect(page.locator(".feedback-line.status-invalid")).to_contain_text(LONG_CODE)
    assert_fits(page)
    card = page.locator(".feedback-line.status-invalid").bounding_box()
    assert card["x"] + card["width"] <= PHONE["width"]
