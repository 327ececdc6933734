"""Lessons can go through "Answer key review" like cases: an edit saved while a
lesson is in review restarts the review; and the course import records who ran
it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import nested_form_data

from accounts.roles import Role
from core.audit import SYSTEM_EMAIL
from courses.models import LessonPage
from tests.admin_forms import stream_form
from tests.courses.conftest import SAMPLE, lesson
from tests.support.accounts import log_in_with_two_factor, make_user

pytestmark = pytest.mark.django_db


def lesson_form(page: LessonPage, *, summary: str, **actions) -> dict:
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": summary,
            "estimated_minutes": page.estimated_minutes,
            "difficulty": page.difficulty,
            "body": stream_form(page.body),
            **actions,
        }
    )
    return data | {"domains": [domain.pk for domain in page.domains.all()]}


def approve(client, page: LessonPage):
    page.refresh_from_db()
    state = page.current_workflow_task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]
    )
    assert client.post(url).status_code == 302
    page.refresh_from_db()
    return state


def test_a_lesson_edited_during_review_is_reviewed_again(course, instructor_client):
    reviewer = make_user("second.instructor@example.test", Role.INSTRUCTOR)
    reviewer_client = log_in_with_two_factor(Client(), reviewer)
    page = lesson("diabetes-categories")
    published = page.summary
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    submitted = instructor_client.post(
        edit, lesson_form(page, summary="K1 summary", **{"action-submit": "1"})
    )
    assert submitted.status_code == 302, submitted.context["form"].errors
    page.refresh_from_db()
    assert page.workflow_in_progress
    instructor_client.post(edit, lesson_form(page, summary="K2 summary"))

    seen = approve(reviewer_client, page)
    assert seen.revision.content["summary"] == "K1 summary"
    assert page.summary == published and page.workflow_in_progress
    assert page.current_workflow_task_state.revision.content["summary"] == (
        "K2 summary"
    )
    approve(reviewer_client, page)
    assert page.summary == "K2 summary" and not page.workflow_in_progress


def test_the_course_import_records_its_actor(db, instructor):
    call_command(
        "load_demo_courses", str(SAMPLE), actor=instructor.email, stdout=StringIO()
    )
    page = lesson("diabetes-categories")
    assert page.live_revision.user == instructor
    assert PageLogEntry.objects.filter(
        page=page, action="wagtail.publish", user=instructor
    ).exists()


def test_the_course_import_runs_as_the_system_user_by_default(db):
    call_command("load_demo_courses", str(SAMPLE), stdout=StringIO())
    assert lesson("diabetes-categories").live_revision.user.email == SYSTEM_EMAIL
