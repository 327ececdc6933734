"""The readiness page in a real browser: plots under the strict CSP, and the
tables behind them reachable by keyboard."""

import pytest

from readiness.services import readiness_update_for_response
from tests.support.browser import log_in

pytestmark = pytest.mark.browser


def test_learner_reads_plots_and_opens_the_tables_by_keyboard(
    browser_page, learner, answer
):
    rows = answer(learner, 12) + answer(learner, 6, score=0.0, domain="cpc-anatomy")
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    errors = []
    browser_page.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" else None
    )
    page = browser_page
    log_in(page, learner.email)
    page.goto("/readiness/cpc/")
    assert page.get_by_role("heading", name="CPC readiness").is_visible()
    assert page.get_by_role("img", name="Predicted score and chance").is_visible()
    assert page.get_by_role("img", name="Mastery by exam domain").is_visible()
    table = page.get_by_role("table").filter(has_text="Anatomy")
    assert not table.is_visible()
    summary = page.get_by_text("Mastery by domain as a table")
    summary.focus()
    page.keyboard.press("Enter")
    assert table.is_visible()
    assert errors == []
