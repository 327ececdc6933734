"""Instructor reports: enrolment, completion and check results per course and per
learner, for the course's instructors and administrators only."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import CourseInstructor
from courses.services import enrolment_create
from tests.courses.conftest import lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken(course, learner):
    """The learner answered the first lesson's check wrongly, then rightly on the
    second try, which completed the lesson."""
    enrolment = enrolment_create(learner=learner, course=course)
    client = Client()
    client.force_login(learner)
    first = lesson("diabetes-categories")
    for chosen in (["a"], ["b"]):
        client.post(
            f"/api/courses/lessons/{first.pk}/checks/type2",
            data=json.dumps({"chosen": chosen}),
            content_type="application/json",
        )
    return enrolment


def test_a_listed_instructor_sees_the_course_report(
    instructor_client, instructor, taken
):
    course = taken.course
    CourseInstructor.objects.create(page=course, user=instructor)
    html = instructor_client.get(reverse("courses:teach")).content.decode()
    assert course.title in html
    report_url = reverse("courses:teach_course", args=[course.pk])
    assert report_url in instructor_client.get(course.url).content.decode()
    html = instructor_client.get(
        reverse("courses:teach_course", args=[course.pk])
    ).content.decode()
    assert "1 enrolled · 0 completed · 3 lessons" in html
    assert "learner@example.test" in html
    assert "1 of 3 (33%)" in html
    assert "1 of 1 answered" in html
    # Checks are named by their question; scores are first tries.
    assert (
        "<td>Diabetes categories</td><td>Which category holds type 2 diabetes?</td>"
        "<td>1</td><td>0</td><td>1</td><td>2</td>"
        "\n      <td>0%</td>"
    ) in html
    assert "type2" not in html
    assert 'class="table-scroll" tabindex="0" role="region"' in html
    detail = instructor_client.get(
        reverse("courses:teach_learner", args=[course.pk, taken.pk])
    ).content.decode()
    assert (
        "<q>Which category holds type 2 diabetes?</q> First try 0%, "
        "correct on the 2nd try"
    ) in detail
    assert "type2" not in detail


def test_an_unlisted_instructor_gets_404(instructor_client, taken):
    course = taken.course
    assert (
        course.title
        not in instructor_client.get(reverse("courses:teach")).content.decode()
    )
    assert (
        instructor_client.get(
            reverse("courses:teach_course", args=[course.pk])
        ).status_code
        == 404
    )
    assert (
        instructor_client.get(
            reverse("courses:teach_learner", args=[course.pk, taken.pk])
        ).status_code
        == 404
    )


def test_an_administrator_sees_every_course(administrator_client, taken):
    client = administrator_client
    response = client.get(reverse("courses:teach_course", args=[taken.course.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["teach", "teach_course", "teach_learner"])
def test_learners_may_not_read_reports(client, other_learner, taken, name):
    client.force_login(other_learner)
    args = {
        "teach": [],
        "teach_course": [taken.course.pk],
        "teach_learner": [taken.course.pk, taken.pk],
    }[name]
    assert client.get(reverse(f"courses:{name}", args=args)).status_code == 403


def test_an_enrolment_of_another_course_is_404(instructor_client, instructor, taken):
    course = taken.course
    CourseInstructor.objects.create(page=course, user=instructor)
    url = reverse("courses:teach_learner", args=[course.pk, taken.pk + 1000])
    assert instructor_client.get(url).status_code == 404
