"""An exam coding item's key is edited with the answer-key editor (the blocks
cases use): posted line by line through the Wagtail admin, stored as the grading
engine's key in `Question.key` and graded with it; a bad code is shown on its field
and nothing is saved; in a real browser, the code inputs complete and check
codes."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from exams.models import AttemptItem, Question
from exams.question_forms import CODING_NEEDS_KEY
from exams.services import attempt_grade
from tests.admin_forms import key_form
from tests.case_studies.conftest import load_small_code_sets
from tests.exams.conftest import load_test_exams
from tests.exams.test_pages import question_url, start
from tests.exams.test_review import edit_url, question_form
from tests.support.browser import instructor_page
from tests.support.key_editor import (
    CATEGORY_HEADER,
    code_input_completes_and_checks,
    line_field_errors,
    stored_line,
)

# The test bank's coding item is keyed E11.9; the edit makes it E11.65.
KEY = {
    "setting": "outpatient",
    "date_of_service": "2026-05-04",
    "diagnoses": [{"code": "E11.65", "rationale": "Hyperglycemia documented."}],
}


def post_key(client, question, key, **changes):
    return client.post(
        edit_url(question),
        question_form(question, key=key_form(key), **changes),
    )


@pytest.mark.django_db
def test_a_key_posted_line_by_line_is_stored_for_the_engine_and_grades(
    exams, administrator_client, learner
):
    load_small_code_sets()
    question = Question.objects.get(slug="t-ccs-case-1")
    response = post_key(
        administrator_client, question, KEY, **{"action-publish": "publish"}
    )
    assert response.status_code == 302, response.context["form"].errors

    question.refresh_from_db()
    assert question.key == {
        "setting": "outpatient",
        "date_of_service": "2026-05-04",
        "diagnoses": [stored_line("E11.65", "Hyperglycemia documented.")],
        "procedures": [],
        "service_lines": [],
    }
    learner_client = Client()
    learner_client.force_login(learner)
    attempt = start(learner_client, "test-ccs")
    coding = AttemptItem.objects.get(attempt=attempt, question=question)
    learner_client.post(
        question_url(attempt, coding.position), {"diagnoses": "E11.65", "go": "stay"}
    )
    learner_client.post(reverse("exams:submit", args=[attempt.pk]))
    attempt_grade(attempt_id=attempt.pk)
    coding.refresh_from_db()
    assert coding.max_points > 0
    assert coding.points == coding.max_points


@pytest.mark.django_db
def test_a_bad_code_is_shown_on_its_field_and_nothing_is_saved(
    exams, administrator_client
):
    load_small_code_sets()
    question = Question.objects.get(slug="t-ccs-case-1")
    saved_key, revisions = question.key, question.revisions.count()
    bad = {**KEY, "diagnoses": [{"code": "E11.6", "rationale": "Header."}]}

    response = post_key(administrator_client, question, bad)

    assert response.status_code == 200
    errors = response.context["form"].errors["key"]
    (message,) = line_field_errors(errors, "lines", 0, "code")
    assert message.startswith(f"Diagnosis 1: {CATEGORY_HEADER}")
    question.refresh_from_db()
    assert question.key == saved_key
    assert question.revisions.count() == revisions


@pytest.mark.django_db
def test_a_coding_item_needs_key_lines(exams, administrator_client):
    question = Question.objects.get(slug="t-ccs-case-1")
    response = post_key(administrator_client, question, {})
    assert response.status_code == 200
    assert response.context["form"].errors["key"] == [CODING_NEEDS_KEY]


@pytest.mark.browser
def test_the_question_editor_completes_and_checks_key_codes(browser_page, instructor):
    load_small_code_sets()
    load_test_exams()
    page = instructor_page(browser_page, instructor)
    page.goto(edit_url(Question.objects.get(slug="t-ccs-case-1")))
    expect(page.locator("[data-answer-key]")).to_have_count(1)
    code_input_completes_and_checks(page, "key-lines-0-value-code")
