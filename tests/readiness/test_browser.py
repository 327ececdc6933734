"""The readiness page in a real browser: Chart.js draws both charts under the
strict CSP, on a phone and on a desktop, without the page scrolling sideways,
and the tables behind them open by keyboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grading.models import GradedResponse
from readiness.services import readiness_history_rebuild
from tests.support.audit import axe_violations, horizontal_overflow
from tests.support.browser import DESKTOP, PHONE, log_in

pytestmark = pytest.mark.browser

# With the CPC's longest domain name (surgery 30000), whose label must wrap.
DOMAINS = (
    "cpc-evaluation-management",
    "cpc-anatomy",
    "cpc-surgery-30000",
    "cpc-medicine",
)
CHARTS = """() => [...document.querySelectorAll("canvas[data-chart]")].map((c) => ({
  chart: c.dataset.chart,
  drawn: window.Chart.getChart(c) !== undefined,
  label: c.getAttribute("aria-label"),
  width: c.getBoundingClientRect().width,
}))"""


@pytest.fixture
def history(learner, answer, cpc):
    """Three weeks of practice across four domains, enough for an estimate from
    the first day on."""
    now = timezone.now()
    for days_ago in (20, 12, 5, 0):
        rows = []
        for index, domain in enumerate(DOMAINS):
            rows += answer(learner, 8, domain=domain)
            rows += answer(learner, index, score=0.0, domain=domain)
        GradedResponse.objects.filter(pk__in=[r.pk for r in rows]).update(
            graded_at=now - timedelta(days=days_ago)
        )
    assert readiness_history_rebuild(learner=learner, certification=cpc) == 4
    return learner


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_charts_draw_under_the_csp_and_fit_the_window(browser_page, history, viewport):
    errors = []
    browser_page.on(
        "console", lambda m: errors.append(m.text) if m.type == "error" else None
    )
    page = browser_page
    page.set_viewport_size(viewport)
    log_in(page, history.email)
    page.goto("/readiness/cpc/")
    page.wait_for_function(
        "() => [...document.querySelectorAll('canvas[data-chart]')]"
        ".every((c) => window.Chart && window.Chart.getChart(c))"
    )
    charts = page.evaluate(CHARTS)
    assert [c["chart"] for c in charts] == ["history", "domains"]
    assert all(c["drawn"] for c in charts)
    assert all(0 < c["width"] <= viewport["width"] for c in charts)
    assert page.get_by_role("img", name="Predicted score and chance").is_visible()
    assert page.get_by_role("img", name="Mastery by exam domain").is_visible()
    assert horizontal_overflow(page) is None
    assert axe_violations(page) == []
    assert errors == []


def test_the_tables_open_by_keyboard(browser_page, history):
    page = browser_page
    log_in(page, history.email)
    page.goto("/readiness/cpc/")
    table = page.get_by_role("table").filter(has_text="Anatomy")
    # Folded away once the chart is drawn, the table stays one key away.
    table.wait_for(state="hidden")
    summary = page.get_by_text("Mastery by domain as a table")
    summary.focus()
    page.keyboard.press("Enter")
    assert table.is_visible()


def test_without_javascript_the_tables_tell_everything(browser_page, history):
    context = browser_page.context.browser.new_context(
        base_url=browser_page.base_url, java_script_enabled=False
    )
    page = context.new_page()
    log_in(page, history.email)
    page.goto("/readiness/cpc/")
    assert not page.locator("canvas").first.is_visible()
    assert page.get_by_role("table").filter(has_text="Anatomy").is_visible()
    assert page.get_by_role("table").filter(has_text="Readiness by day").is_visible()
    context.close()
