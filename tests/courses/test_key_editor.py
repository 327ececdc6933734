"""A lesson's code-entry check is keyed with the answer-key editor (the blocks
cases use): posted line by line through the Wagtail admin, stored as the grading
engine's key and graded with it; a bad code is shown on its field and nothing is
saved; in a real browser, the code inputs complete and check codes."""

import copy

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from courses.services import enrolment_create
from tests.case_studies.conftest import load_small_code_sets
from tests.courses.conftest import lesson, load_sample
from tests.courses.test_checks import post_api
from tests.courses.test_review import lesson_form
from tests.support.browser import instructor_page
from tests.support.key_editor import (
    CATEGORY_HEADER,
    code_input_completes_and_checks,
    line_field_errors,
    stored_line,
)

CHECK_POSITION = 2  # the code-entry check "code-it" of diabetes-complications
KEY = {
    "setting": "professional",
    "date_of_service": "2026-05-04",
    "diagnoses": [{"code": "E11.65", "rationale": "Hyperglycemia documented."}],
    "service_lines": [
        {"code": "99214", "units": 1, "pointers": [1], "rationale": "Moderate MDM."}
    ],
}


def post_key(client, key):
    """The lesson's edit form as the admin posts it, the check's key replaced."""
    page = lesson("diabetes-complications")
    body = copy.deepcopy(list(page.body.raw_data))
    assert body[CHECK_POSITION]["value"]["check_id"] == "code-it"
    body[CHECK_POSITION]["value"]["key"] = key
    page.body = body
    data = lesson_form(page, summary=page.summary, **{"action-publish": "publish"})
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


@pytest.mark.django_db
def test_a_key_posted_line_by_line_is_stored_for_the_engine_and_grades(
    course, administrator_client, learner
):
    load_small_code_sets()
    response = post_key(administrator_client, KEY)
    assert response.status_code == 302, response.context["form"].errors

    page = lesson("diabetes-complications")
    assert page.checks()["code-it"][1]["key"] == {
        "setting": "professional",
        "date_of_service": "2026-05-04",
        "diagnoses": [stored_line("E11.65", "Hyperglycemia documented.")],
        "procedures": [],
        "service_lines": [
            stored_line("99214", "Moderate MDM.", modifiers=[], units=1, pointers=[1])
        ],
    }
    # The revision comparison reads the key as the editor shows it, line by line.
    before, after = page.revisions.order_by("pk")
    compare = administrator_client.get(
        reverse(
            "wagtailadmin_pages:revisions_compare",
            args=[page.pk, before.pk, after.pk],
        )
    )
    assert compare.status_code == 200
    assert "99214" in compare.content.decode()
    enrolment_create(learner=learner, course=course)
    learner_client = Client()
    learner_client.force_login(learner)
    partial = post_api(learner_client, page, "code-it", {"diagnoses": "E11.65"})
    assert partial.status_code == 200 and not partial.json()["correct"]
    right = post_api(
        learner_client,
        page,
        "code-it",
        {"diagnoses": "E11.65", "service_lines": "99214 x1 dx1"},
    )
    assert right.status_code == 200 and right.json()["correct"]


@pytest.mark.django_db
def test_a_bad_code_is_shown_on_its_field_and_nothing_is_saved(
    course, administrator_client
):
    load_small_code_sets()
    page = lesson("diabetes-complications")
    revisions = page.revisions.count()
    bad = copy.deepcopy(KEY)
    bad["diagnoses"][0]["code"] = "E11.6"

    response = post_key(administrator_client, bad)

    assert response.status_code == 200
    (message,) = line_field_errors(
        response.context["form"].errors["body"],
        CHECK_POSITION,
        "key",
        "lines",
        0,
        "code",
    )
    assert message.startswith(f"Diagnosis 1: {CATEGORY_HEADER}")
    page.refresh_from_db()
    assert page.revisions.count() == revisions
    assert page.checks()["code-it"][1]["key"]["diagnoses"][0]["code"] == "E11.65"


@pytest.mark.browser
def test_the_lesson_editor_completes_and_checks_key_codes(browser_page, instructor):
    load_small_code_sets()
    load_sample()
    page = instructor_page(browser_page, instructor)
    page.goto(f"/admin/pages/{lesson('diabetes-complications').pk}/edit/")
    expect(page.locator("[data-answer-key]")).to_have_count(1)
    code_input_completes_and_checks(
        page, f"body-{CHECK_POSITION}-value-key-lines-0-value-code"
    )
