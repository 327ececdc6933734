"""Enrol, resume, complete lessons by passing their checks and see progress,
through HTTP."""

import json

import pytest
from django.urls import reverse

from courses.models import Enrolment, LessonProgress
from courses.views import CHECKS_NOT_PASSED, ENROLLED, LESSON_COMPLETED
from tests.courses.conftest import lesson

pytestmark = pytest.mark.django_db


def enrol(client, course) -> Enrolment:
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    return Enrolment.objects.get(course=course)


def test_enrolling_twice_keeps_one_enrolment_and_resumes_at_the_first_lesson(
    learner_client, course
):
    response = learner_client.post(
        reverse("courses:enrol", args=[course.pk]), follow=True
    )
    assert ENROLLED.format(course=course.title) in response.content.decode()
    assert response.redirect_chain[-1][0] == lesson("diabetes-categories").url
    learner_client.post(reverse("courses:enrol", args=[course.pk]))
    assert Enrolment.objects.filter(course=course).count() == 1


def test_enrolling_needs_a_login_and_a_post(client, learner, course):
    url = reverse("courses:enrol", args=[course.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Enrolment.objects.exists()
    client.force_login(learner)
    assert client.get(url).status_code == 405


def test_enrolling_in_an_unpublished_course_is_404(learner_client, course):
    course.unpublish()
    assert (
        learner_client.post(reverse("courses:enrol", args=[course.pk])).status_code
        == 404
    )
    assert not Enrolment.objects.exists()


def answer(client, lesson_page, check_id, payload) -> dict:
    response = client.post(
        f"/api/courses/lessons/{lesson_page.pk}/checks/{check_id}",
        data=json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_marking_a_lesson_complete_before_its_checks_are_passed_is_refused(
    learner_client, course
):
    enrolment = enrol(learner_client, course)
    first = lesson("diabetes-categories")
    url = reverse("courses:complete_lesson", args=[enrolment.pk, first.pk])
    response = learner_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == f"{first.url}#check-type2"
    page = response.content.decode()
    assert (
        CHECKS_NOT_PASSED.format(
            count=1, questions="“Which category holds type 2 diabetes?”"
        )
        in page
    )
    assert LESSON_COMPLETED not in page
    assert "0 of 3 lessons complete (0%)" in page
    assert "once each of its 1 knowledge check is answered correctly" in page

    # Two wrong tries use up the tries without passing: still not complete.
    answer(learner_client, first, "type2", {"chosen": ["a"]})
    answer(learner_client, first, "type2", {"chosen": ["a"]})
    learner_client.post(url)
    assert not LessonProgress.objects.get(lesson=first).completed_at
    # Answering it right at last passes the check, which completes the lesson.
    assert answer(learner_client, first, "type2", {"chosen": ["b"]})["lesson_completed"]


def test_passing_the_checks_moves_progress_and_resume(
    icd10cm_chapter_4, learner_client, course
):
    enrolment = enrol(learner_client, course)
    first, second = lesson("diabetes-categories"), lesson("diabetes-complications")
    learner_client.get(second.url)
    resume = reverse("courses:resume", args=[enrolment.pk])
    assert learner_client.get(resume).url == second.url

    answer(learner_client, second, "linked", {"chosen": ["a", "b"]})
    body = answer(learner_client, second, "code-it", {"diagnoses": "E11.65"})
    assert body["lesson_completed"]
    assert body["course_progress"]["completed"] == 1
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=second)
    assert progress.completed_by == LessonProgress.CompletedBy.CHECKS
    # Marking a completed lesson again changes nothing.
    response = learner_client.post(
        reverse("courses:complete_lesson", args=[enrolment.pk, second.pk]), follow=True
    )
    assert LESSON_COMPLETED in response.content.decode()
    # The last lesson opened is done: resume at the next unfinished one.
    assert learner_client.get(resume).url == lesson("first-listed").url

    answer(learner_client, first, "type2", {"chosen": ["b"]})
    answer(
        learner_client,
        lesson("first-listed"),
        "claim",
        {"diagnoses": "E11.65", "service_lines": "99213-25 x1 dxA\n20610-RT x2 dx1"},
    )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert learner_client.get(resume).url == reverse(
        "courses:outline", args=[enrolment.pk]
    )


def test_outline_shows_the_question_and_the_first_try(learner_client, course):
    enrolment = enrol(learner_client, course)
    first = lesson("diabetes-categories")
    url = reverse("courses:answer_check", args=[enrolment.pk, first.pk, "type2"])
    learner_client.post(url, {"chosen": "a"})
    html = learner_client.get(reverse("courses:outline", args=[enrolment.pk]))
    html = html.content.decode()
    assert "Checks passed: 0 of 1" in html
    assert (
        "<q>Which category holds type 2 diabetes?</q> First try 0%, 1 try so far"
        in html
    )
    assert "type2" not in html
    assert "Resume: Diabetes categories" in html
    learner_client.post(url, {"chosen": "b"})
    html = learner_client.get(reverse("courses:outline", args=[enrolment.pk]))
    assert (
        'First try 0%, correct on the 2nd try <span class="badge badge--ok">Passed'
        in html.content.decode()
    )


def test_the_course_page_shows_progress_to_the_enrolled_learner(learner_client, course):
    enrolment = enrol(learner_client, course)
    html = learner_client.get(course.url).content.decode()
    assert "0 of 3 lessons complete (0%)" in html
    assert reverse("courses:resume", args=[enrolment.pk]) in html
    assert "Enrol in this course" not in html


def test_dashboard_lists_courses_with_progress_and_resume_link(learner_client, course):
    assert (
        "Your courses"
        not in learner_client.get(reverse("core:dashboard")).content.decode()
    )
    enrolment = enrol(learner_client, course)
    html = learner_client.get(reverse("core:dashboard")).content.decode()
    assert "Your courses" in html
    assert "0 of 3 lessons (0%)" in html
    assert reverse("courses:resume", args=[enrolment.pk]) in html


@pytest.mark.parametrize("name", ["outline", "resume"])
def test_another_learners_enrolment_is_404(
    client, learner, other_learner, course, name
):
    client.force_login(learner)
    enrolment = enrol(client, course)
    client.force_login(other_learner)
    response = client.get(reverse(f"courses:{name}", args=[enrolment.pk]))
    assert response.status_code == 404


def test_completing_a_lesson_of_another_learner_is_404(
    client, learner, other_learner, course
):
    client.force_login(learner)
    enrolment = enrol(client, course)
    client.force_login(other_learner)
    first = lesson("diabetes-categories")
    url = reverse("courses:complete_lesson", args=[enrolment.pk, first.pk])
    assert client.post(url).status_code == 404
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_completing_a_lesson_of_another_course_is_404(learner_client, course):
    enrolment = enrol(learner_client, course)
    url = reverse("courses:complete_lesson", args=[enrolment.pk, course.pk])
    assert learner_client.post(url).status_code == 404


def test_nav_entry_leads_to_the_course_index(client, course):
    response = client.get(reverse("courses:index"))
    assert response.status_code == 302
    assert response.url == course.get_parent().url
    html = client.get(response.url).content.decode()
    assert course.title in html
