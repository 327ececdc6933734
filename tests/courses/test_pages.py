"""The public course pages: what anonymous visitors and learners see, the module
redirect, case links, and the instructors' page permissions."""

import pytest
from django.contrib.auth.models import Group
from django.utils.html import strip_tags
from wagtail.models import GroupPagePermission

from courses import importer
from courses.management.commands.load_demo_courses import DEMO_DIR
from courses.models import CourseIndexPage, CoursePage, ModulePage
from tests.courses.conftest import lesson, load_sample

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_read_courses_and_lessons(client, course):
    index = client.get(CourseIndexPage.objects.get().url)
    assert course.title in index.content.decode()
    assert client.get(course.url).status_code == 200
    html = client.get(lesson("diabetes-categories").url).content.decode()
    assert "Log in</a> and enrol to answer" in html
    assert "data-check-form" not in html


def test_a_learner_not_enrolled_is_offered_enrolment_on_a_lesson(
    learner_client, course
):
    html = learner_client.get(lesson("diabetes-categories").url).content.decode()
    assert "Enrol in this course" in html
    assert "Mark lesson complete" not in html


def test_a_module_sends_the_reader_to_its_place_in_the_outline(client, course):
    module = ModulePage.objects.get(slug="diabetes-basics")
    response = client.get(module.url)
    assert response.status_code == 302
    assert response.url == f"{course.url}#module-{module.pk}"


def test_a_case_link_points_at_the_case_page(db, client, monkeypatch):
    index = CourseIndexPage.objects.get()
    monkeypatch.setattr(importer, "_case_page_id", lambda slug: index.pk)
    load_sample()
    html = client.get(lesson("diabetes-categories").url).content.decode()
    assert f'href="{index.url}">Practise this in a case</a>' in html


def test_instructors_may_add_change_and_publish_under_the_course_index(db):
    index = CourseIndexPage.objects.get()
    codenames = set(
        GroupPagePermission.objects.filter(
            group=Group.objects.get(name="Instructor"), page=index
        ).values_list("permission__codename", flat=True)
    )
    assert codenames == {"add_page", "change_page", "publish_page"}


def test_the_course_summary_is_cut_after_a_whole_word(client):
    """The demo CPC course's overview is longer than a summary holds: the summary
    on the course's header and card ends on a whole word."""
    load_sample(DEMO_DIR / "cpc-exam-prep.json")
    course = CoursePage.objects.get(slug="cpc-exam-prep")
    overview = " ".join(strip_tags(str(course.overview)).split())
    assert len(overview) > 300 and course.summary.endswith("…")
    shown = course.summary.removesuffix("…")
    assert overview.startswith(shown) and overview[len(shown)] in " ,.;:"
    assert len(course.summary) <= 300
    html = client.get(course.url).content.decode()
    assert f'<p class="lead">{course.summary}</p>' in html
