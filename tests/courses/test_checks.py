"""Knowledge checks through the form and the JSON API: grading, feedback that
keeps the key back until the second try, the first try as the recorded result,
completion by passing, and bad input."""

import json

import pytest
from django.urls import reverse

from courses.answers import (
    EMPTY_CHOICE,
    EMPTY_CODES,
    EVERY_CHOICE_HINT,
    MISSED_CHOICES_HINT,
    MISSING_LINES_HINT,
    ONE_CHOICE_ONLY,
    UNKNOWN_OPTION,
    UNREADABLE_LINE,
)
from courses.api import NO_SUCH_CHECK, NOT_ENROLLED
from courses.models import CheckResult, Enrolment, LessonProgress
from courses.services import CHECK_PASSED, enrolment_create
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


def test_a_wrong_first_try_hears_about_its_choice_only_and_gets_a_second_try(
    learner_client, enrolment
):
    first = lesson("diabetes-categories")
    response = post_api(learner_client, first, "type2", {"chosen": ["a"]})
    assert response.status_code == 200
    body = response.json()
    assert not body["correct"] and not body["revealed"] and not body["passed"]
    # The chosen option's own feedback; nothing says which option is right.
    assert body["options"] == [
        {
            "id": "a",
            "text": "E10",
            "chosen": True,
            "feedback": "E10 is type 1 diabetes.",
        }
    ]
    assert body["explanation"] == ""
    sent = response.content.decode()
    for secret in ("zebrafinchword", "E08 to E13", '"correct": true', "E11"):
        assert secret not in sent
    assert "Try 1 of 2." in body["feedback_html"]
    html = learner_client.get(first.url).content.decode()
    for secret in ("zebrafinchword", "E08 to E13", "Correct answer"):
        assert secret not in html
    assert ">Try again</button>" in html


def test_the_second_try_reveals_and_the_first_try_is_what_is_recorded(
    learner_client, enrolment
):
    first = lesson("diabetes-categories")
    post_api(learner_client, first, "type2", {"chosen": ["a"]})
    body = post_api(learner_client, first, "type2", {"chosen": ["b"]}).json()
    assert body["correct"] and body["revealed"] and body["passed"]
    assert body["correct_on"] == 2 and body["first_percentage"] == 0
    assert "zebrafinchword" in body["feedback_html"]
    assert "E08 to E13" in body["feedback_html"]
    assert "Correct on the 2nd try; the first try scored 0%" in body["feedback_html"]

    # Only the first try reaches the ledger (and so readiness and reports).
    row = GradedResponse.objects.get()
    assert row.attempt_ref == f"kc:{enrolment.pk}:{first.pk}:type2:1"
    assert (row.points, row.response) == (0, {"chosen": ["a"]})
    result = CheckResult.objects.get(check_id="type2")
    assert (result.attempts, result.first_points, result.correct_on) == (2, 0, 2)
    assert result.passed
    # A passed check takes no more answers.
    again = post_api(learner_client, first, "type2", {"chosen": ["b"]})
    assert again.status_code == 400
    assert again.json() == {"detail": CHECK_PASSED}
    assert GradedResponse.objects.count() == 1


def test_two_wrong_tries_reveal_the_answer_and_a_later_right_one_passes(
    learner_client, enrolment
):
    second = lesson("diabetes-complications")
    first_try = post_api(learner_client, second, "linked", {"chosen": ["a", "c"]})
    body = first_try.json()
    assert not body["revealed"]
    # The wrong choice is named with its feedback; the right one chosen is not
    # confirmed, and the one missed is only hinted at.
    assert [o["id"] for o in body["options"]] == ["c"]
    assert MISSED_CHOICES_HINT in body["hints"]
    assert "Presumed linked" not in first_try.content.decode()

    body = post_api(learner_client, second, "linked", {"chosen": ["a"]}).json()
    assert body["revealed"] and not body["passed"]
    assert [o["correct"] for o in body["options"]] == [True, True, False]
    assert "The classification presumes" in body["feedback_html"]
    assert "Not yet right after 2 tries" in body["feedback_html"]

    body = post_api(learner_client, second, "linked", {"chosen": ["a", "b"]}).json()
    assert body["passed"] and body["correct_on"] == 3
    refs = list(GradedResponse.objects.values_list("attempt_ref", "points"))
    assert refs == [(f"kc:{enrolment.pk}:{second.pk}:linked:1", 0)]
    result = CheckResult.objects.get(check_id="linked")
    assert (result.attempts, result.first_points, result.passed) == (3, 0, True)


def test_choosing_every_option_learns_nothing_about_the_key(learner_client, enrolment):
    response = post_api(
        learner_client,
        lesson("diabetes-complications"),
        "linked",
        {"chosen": ["a", "b", "c"]},
    )
    body = response.json()
    assert body["options"] == [] and EVERY_CHOICE_HINT in body["hints"]
    assert "Not a complication" not in response.content.decode()


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
    assert "Categories E08 to E13 cover diabetes by type." not in html
    assert 'value="a" id="check-type2-a" checked' in html
    learner_client.post(form_url(enrolment, first, "type2"), {"chosen": "b"})
    html = learner_client.get(first.url).content.decode()
    assert "Categories E08 to E13 cover diabetes by type." in html
    assert "Correct on the 2nd try" in html
    assert 'action="' + form_url(enrolment, first, "type2") not in html


def test_code_entry_is_graded_by_the_grading_engine(
    icd10cm_chapter_4, learner_client, enrolment
):
    second = lesson("diabetes-complications")
    response = post_api(learner_client, second, "code-it", {"diagnoses": "E11.9"})
    assert response.status_code == 200
    body = response.json()
    assert not body["correct"] and not body["revealed"]
    # What is wrong with the code given, in the engine's terms, without the key.
    [line] = body["lines"]
    assert line["given_code"] == "E11.9" and set(line) == {
        "status",
        "given_code",
        "message",
    }
    assert line["status"] != "exact"
    sent = response.content.decode()
    for secret in ("E11.65", "quokkaword", "I.C.4.a", "The complication is"):
        assert secret not in sent
    response = post_api(learner_client, second, "code-it", {"diagnoses": "e11.65"})
    body = response.json()
    assert body["correct"] and body["revealed"] and body["correct_on"] == 2
    assert "quokkaword" in body["feedback_html"]
    row = GradedResponse.objects.get(attempt_ref__endswith="code-it:1")
    assert row.status_counts["exact"] == 0
    assert row.response == {"diagnoses": "E11.9"}
    assert not GradedResponse.objects.filter(attempt_ref__endswith="code-it:2")


def test_a_missing_code_is_counted_not_named_before_the_reveal(
    icd10cm_chapter_4, learner_client, enrolment
):
    response = post_api(
        learner_client,
        lesson("first-listed"),
        "claim",
        {"diagnoses": "E11.65", "service_lines": "99213-25 x1 dx1"},
    )
    body = response.json()
    assert not body["revealed"]
    assert MISSING_LINES_HINT[1] in body["hints"]
    assert "20610" not in response.content.decode()


def test_a_second_wrong_code_entry_reveals_the_key(
    icd10cm_chapter_4, learner_client, enrolment
):
    second = lesson("diabetes-complications")
    post_api(learner_client, second, "code-it", {"diagnoses": "E11.9"})
    body = post_api(learner_client, second, "code-it", {"diagnoses": "E11.8"}).json()
    assert body["revealed"] and not body["passed"]
    assert "E11.65" in body["feedback_html"]
    assert "quokkaword" in body["feedback_html"]


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
    # A passed check shows its feedback and takes no more answers.
    assert "Correct on the first try." in html
    assert 'name="service_lines"' not in html


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
