"""The demo instructor teaches the demo courses, so their course reports are not
empty; loading the demo again changes nothing."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from courses.management.commands.load_demo_courses import DEMO_DIR, DEMO_INSTRUCTOR
from courses.models import CourseInstructor, CoursePage
from tests.support.accounts import log_in_with_two_factor, make_user

pytestmark = pytest.mark.django_db

DEMO_SLUGS = sorted(json.loads(p.read_text())["slug"] for p in DEMO_DIR.glob("*.json"))


def load_demo_courses() -> str:
    out = StringIO()
    call_command("load_demo_courses", stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.skipif(not DEMO_SLUGS, reason="no demo courses yet")
def test_the_demo_instructor_teaches_every_demo_course_once(client):
    instructor = make_user(DEMO_INSTRUCTOR, Role.INSTRUCTOR)
    first = load_demo_courses()
    assert first.count(f"taught by {DEMO_INSTRUCTOR}") == len(DEMO_SLUGS)
    second = load_demo_courses()
    assert "taught by" not in second
    assert second.count("0 created, 0 updated") == len(DEMO_SLUGS)
    taught = CourseInstructor.objects.filter(user=instructor)
    assert sorted(taught.values_list("page__slug", flat=True)) == DEMO_SLUGS

    course = CoursePage.objects.get(slug=DEMO_SLUGS[0])
    editing = course.get_latest_revision_as_object()
    assert [row.user for row in editing.instructors.all()] == [instructor]

    log_in_with_two_factor(client, instructor)
    reports = client.get(reverse("courses:teach")).content.decode()
    assert course.title in reports
    report = client.get(reverse("courses:teach_course", args=[course.pk]))
    assert report.status_code == 200


def test_without_the_demo_instructor_the_courses_still_load(db):
    out = load_demo_courses()
    assert f"{DEMO_INSTRUCTOR} does not exist" in out
    assert not CourseInstructor.objects.exists()
