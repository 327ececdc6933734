"""A save that reached the server but whose reply was lost (a worker killed, a
network blip) is sent again by the page, and the page ends at "Saved" instead of
reporting "Not saved" for an answer the server holds."""

import pytest
from playwright.sync_api import expect

from tests.exams.test_browser import OFFLINE, saved_answers, start_with_one_answer_saved

pytestmark = pytest.mark.browser


def test_a_save_whose_reply_is_lost_is_retried_and_ends_saved(
    browser_page, learner, exams
):
    page = browser_page
    attempt, status = start_with_one_answer_saved(page, learner)
    delivered = []

    def lose_the_first_reply(route):
        if route.request.resource_type != "fetch" or delivered:
            route.continue_()
            return
        delivered.append(route.fetch().status)  # the save lands on the server
        route.abort("connectionreset")  # but the page never hears back

    page.route("**/*", lose_the_first_reply)
    page.get_by_label("Level 3").check()
    expect(status).to_have_text(OFFLINE)
    assert delivered == [200]
    assert saved_answers(attempt)[1] == {"options": ["b"]}

    page.clock.run_for(1_000)  # the first back-off: the same save is sent again
    expect(status).to_have_text("Saved")
    assert saved_answers(attempt)[1] == {"options": ["b"]}
