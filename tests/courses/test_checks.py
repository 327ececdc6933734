"""Knowledge checks through the form and the JSON API: grading, feedback, the
grading ledger, completion by passing, and bad input."""

import json

import pytest
from django.urls import reverse

from courses.answers import (
    EMPTY_CHOICE,
    EMPTY_CODES,
    ONE_CHOICE_ONLY,
    UNKNOWN_OPTION,
    UNREADABLE_LINE,
)
from courses.api import NO_SUCH_CHECK, NOT_ENROLLED
from courses.models import CheckResult, Enrolment, LessonProgress
from courses.services import enrolment_create
from grading.models import GradedResponse
from tests.courses.conftest import lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(learner, course):
    return enrolment_create(learner=learner, course=course)


def api_url(lesson_page, check_id):
    return f"/api/courses/lessons/{lesson_page.pk}/checks/{check_id}"


def post_api(client, lesson_page, check_id, payload):
    return client.post(
        api_url(lesson_page, check_id),
        data=json.dumps(payload),
        content_type="application/json",
    )


def form_url(enrolment, lesson_page, check_id):
    return reverse(
        "courses:answer_check", args=[enrolment.pk, lesson_page.pk, check_id]
    )


def test_lesson_html_holds_no_answers_before_answering(learner_client, enrolment):
    html = learner_client.get(lesson("diabetes-complications").url).content.decode()
    for secret in (
        "Presumed linked",
        "Not a complication",
        "quokkaword",
        "E11.9",
        "The classification presumes",
        '"correct"',
    ):
        assert secret not in html
    assert "Which conditions are presumed linked" in html


def test_a_right_answer_by_api_passes_the_check_and_completes_the_lesson(
    learner_client, enrolment
):
    first = lesson("diabetes-categories")
    response = post_api(learner_client, first, "type2", {"chosen": ["b"]})
    assert response.status_code == 200
    body = response.json()
    assert body["correct"] and body["passed"] and body["lesson_completed"]
    assert body["course_progress"] == {"completed": 1, "total": 3, "percentage": 33}
    assert "zebrafinchword" in body["feedback_html"]
    assert [o["correct"] for o in body["options"]] == [False, True]
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=first)
    assert progress.completed_by == LessonProgress.CompletedBy.CHECKS

    row = GradedResponse.objects.get()
    assert row.source == GradedResponse.Source.KNOWLEDGE_CHECK
    assert row.item_type == "knowledge_check"
    assert row.item_id == f"{first.pk}:type2"
    assert row.attempt_ref == f"kc:{enrolment.pk}:{first.pk}:type2:1"
    assert row.learner == enrolment.learner
    assert row.points == row.max_points == 1
    assert [d.slug for d in row.domains.all()] == ["cpc-icd-10-cm"]
    assert row.difficulty == "beginner"


def test_every_retry_is_a_new_ledger_row_and_the_best_score_is_kept(
    learner_client, enrolment
):
    second = lesson("diabetes-complications")
    answers = [["a", "c"], ["a", "b"], ["a"]]
    for chosen in answers:
        assert (
            post_api(learner_client, second, "linked", {"chosen": chosen}).status_code
            == 200
        )
    refs = sorted(GradedResponse.objects.values_list("attempt_ref", flat=True))
    assert refs == [f"kc:{enrolment.pk}:{second.pk}:linked:{n}" for n in (1, 2, 3)]
    result = CheckResult.objects.get(check_id="linked")
    assert (result.attempts, result.passed, result.best_points) == (3, True, 1)
    assert result.last_response == {"chosen": ["a"]}
    # Two more checks in the lesson are unanswered: not complete yet.
    assert not LessonProgress.objects.get(lesson=second).completed_at


def test_the_form_without_javascript_shows_feedback_on_the_lesson(
    learner_client, enrolment
):
    first = lesson("diabetes-categories")
    response = learner_client.post(form_url(enrolment, first, "type2"), {"chosen": "a"})
    assert response.status_code == 302
    assert response.url == f"{first.url}#check-type2"
    html = learner_client.get(first.url).content.decode()
    assert "Not quite" in html
    assert "E10 is type 1 diabetes." in html
    assert "Categories E08 to E13 cover diabetes by type." in html
    assert 'value="a" id="check-type2-a" checked' in html


def test_code_entry_is_graded_by_the_grading_engine(
    icd10cm_chapter_4, learner_client, enrolment
):
    second = lesson("diabetes-complications")
    response = post_api(learner_client, second, "code-it", {"diagnoses": "E11.9"})
    assert response.status_code == 200
    body = response.json()
    assert not body["correct"]
    assert "exact" not in {line["status"] for line in body["lines"]}
    assert "The complication is documented." in body["feedback_html"]
    response = post_api(learner_client, second, "code-it", {"diagnoses": "e11.65"})
    assert response.json()["correct"]
    row = GradedResponse.objects.get(attempt_ref__endswith="code-it:2")
    assert row.status_counts["exact"] == 1
    assert row.response == {"diagnoses": "e11.65"}


def test_service_lines_take_modifiers_units_and_pointers(
    icd10cm_chapter_4, learner_client, enrolment
):
    last = lesson("first-listed")
    response = post_api(
        learner_client,
        last,
        "claim",
        {"diagnoses": "E11.65", "service_lines": "99213-25 x1 dxA\n20610-RT x2 dx1"},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["correct"], body["lines"]
    assert body["lesson_completed"]
    html = learner_client.get(last.url).content.decode()
    assert "99213-25 x1 dxA\n20610-RT x2 dx1</textarea>" in html


def test_an_unreadable_service_line_is_400(learner_client, enrolment):
    response = post_api(
        learner_client,
        lesson("first-listed"),
        "claim",
        {"diagnoses": "E11.65", "service_lines": "99213 twice"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == UNREADABLE_LINE.format(
        token="twice", line="99213 twice"
    )
    assert not GradedResponse.objects.exists()


def test_code_entry_form_shows_only_the_sections_the_key_asks_for(
    learner_client, enrolment
):
    html = learner_client.get(lesson("diabetes-complications").url).content.decode()
    assert 'name="diagnoses"' in html
    assert 'name="procedures"' not in html
    assert 'name="service_lines"' not in html


@pytest.mark.parametrize(
    ("check_id", "payload", "message"),
    [
        ("type2", {"chosen": []}, EMPTY_CHOICE),
        ("type2", {"chosen": ["z"]}, UNKNOWN_OPTION.format(ids="z")),
        ("type2", {"chosen": ["a", "b"]}, ONE_CHOICE_ONLY),
        ("type2", {}, EMPTY_CHOICE),
    ],
)
def test_bad_choice_answers_are_400_and_store_nothing(
    learner_client, enrolment, check_id, payload, message
):
    response = post_api(
        learner_client, lesson("diabetes-categories"), check_id, payload
    )
    assert response.status_code == 400
    assert response.json() == {"detail": message}
    assert not GradedResponse.objects.exists()
    assert not CheckResult.objects.exists()


def test_an_empty_code_entry_is_400(learner_client, enrolment):
    second = lesson("diabetes-complications")
    response = post_api(learner_client, second, "code-it", {"diagnoses": " , "})
    assert response.status_code == 400
    assert response.json()["detail"] == EMPTY_CODES
    assert not GradedResponse.objects.exists()


def test_a_malformed_api_payload_is_422(learner_client, enrolment):
    response = learner_client.post(
        api_url(lesson("diabetes-categories"), "type2"),
        data="not json",
        content_type="application/json",
    )
    assert 400 <= response.status_code < 500
    response = post_api(
        learner_client, lesson("diabetes-categories"), "type2", {"chosen": "b"}
    )
    assert response.status_code == 422
    assert not GradedResponse.objects.exists()


def test_bad_form_answers_are_400_with_a_message(learner_client, enrolment):
    first = lesson("diabetes-categories")
    response = learner_client.post(form_url(enrolment, first, "type2"), {})
    assert response.status_code == 400
    assert EMPTY_CHOICE in response.content.decode()
    assert not GradedResponse.objects.exists()


def test_unknown_check_and_lesson_are_404(learner_client, enrolment, course):
    first = lesson("diabetes-categories")
    response = post_api(learner_client, first, "nope", {"chosen": ["a"]})
    assert response.status_code == 404
    assert response.json() == {"detail": NO_SUCH_CHECK}
    assert (
        post_api(learner_client, course, "type2", {"chosen": ["a"]}).status_code == 404
    )
    assert (
        learner_client.post(
            form_url(enrolment, first, "nope"), {"chosen": "a"}
        ).status_code
        == 404
    )


def test_answering_without_enrolment_is_403(client, other_learner, course):
    client.force_login(other_learner)
    response = post_api(
        client, lesson("diabetes-categories"), "type2", {"chosen": ["b"]}
    )
    assert response.status_code == 403
    assert response.json() == {"detail": NOT_ENROLLED}
    assert not Enrolment.objects.exists()
    assert not GradedResponse.objects.exists()


def test_anonymous_api_calls_are_401(client, course):
    response = post_api(
        client, lesson("diabetes-categories"), "type2", {"chosen": ["b"]}
    )
    assert response.status_code == 401


def test_answering_on_someone_elses_enrolment_is_404(client, other_learner, enrolment):
    client.force_login(other_learner)
    first = lesson("diabetes-categories")
    response = client.post(form_url(enrolment, first, "type2"), {"chosen": "b"})
    assert response.status_code == 404
    assert not GradedResponse.objects.exists()
