"""Enrol, resume, mark lessons complete and see progress, through HTTP."""

import pytest
from django.urls import reverse

from courses.models import Enrolment, LessonProgress
from courses.views import ENROLLED, LESSON_COMPLETED
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


def test_marking_lessons_complete_moves_progress_and_resume(learner_client, course):
    enrolment = enrol(learner_client, course)
    first, second = lesson("diabetes-categories"), lesson("diabetes-complications")
    learner_client.get(second.url)
    resume = reverse("courses:resume", args=[enrolment.pk])
    assert learner_client.get(resume).url == second.url

    response = learner_client.post(
        reverse("courses:complete_lesson", args=[enrolment.pk, second.pk]), follow=True
    )
    page = response.content.decode()
    assert LESSON_COMPLETED in page
    assert "1 of 3 lessons complete (33%)" in page
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=second)
    assert progress.completed_by == LessonProgress.CompletedBy.MARKED
    # The last lesson opened is done: resume at the next unfinished one.
    assert learner_client.get(resume).url == lesson("first-listed").url

    for item in (first, lesson("first-listed")):
        learner_client.post(
            reverse("courses:complete_lesson", args=[enrolment.pk, item.pk])
        )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert learner_client.get(resume).url == reverse(
        "courses:outline", args=[enrolment.pk]
    )


def test_outline_shows_completion_marks_and_check_scores(learner_client, course):
    enrolment = enrol(learner_client, course)
    first = lesson("diabetes-categories")
    learner_client.post(
        reverse("courses:answer_check", args=[enrolment.pk, first.pk, "type2"]),
        {"chosen": "a"},
    )
    page = learner_client.get(reverse("courses:outline", args=[enrolment.pk]))
    html = page.content.decode()
    assert "Checks passed: 0 of 1" in html
    assert "type2: best 0% after 1 attempt" in html
    assert "Resume: Diabetes categories" in html


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
