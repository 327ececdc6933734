"""Assigning work: a case, a set of cases, a lesson and a mock exam, edited and
deleted; the assignment page links to its learners' grades; accommodations for
an assigned exam. (The dashboard panels on assignments are the gradebook's:
tests/gradebook/test_dashboard.py.)"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts import forms
from cohorts.models import Assignment
from cohorts.services import assignment_create, cohort_join
from exams.models import Accommodation
from tests.cohorts.conftest import due_in

OFFICE = "test-office-diabetes"
INPATIENT = "test-inpatient-dka"


@pytest.fixture
def member(cohort, learner):
    cohort_join(cohort=cohort, learner=learner)
    return learner


def assign(client, cohort, **data):
    return client.post(
        reverse("cohorts:assignment_create", args=[cohort.pk]),
        {"due_at": due_in(days=7), **data},
    )


def test_assign_a_case_with_its_title_by_default(instructor_client, cohort, cases):
    response = assign(instructor_client, cohort, kind="case", case=cases[OFFICE].pk)
    assignment = Assignment.objects.get()
    assert response.url == reverse("cohorts:assignment", args=[assignment.pk])
    assert assignment.title == cases[OFFICE].title
    assert list(assignment.cases.all()) == [cases[OFFICE]]
    page = instructor_client.get(response.url).content.decode()
    assert reverse("case_studies:practice", args=[OFFICE]) in page


def test_the_assignment_page_links_to_its_learners_in_the_gradebook(
    instructor_client, cohort, cases
):
    response = assign(instructor_client, cohort, kind="case", case=cases[OFFICE].pk)
    assignment = Assignment.objects.get()
    page = instructor_client.get(response.url).content.decode()
    url = reverse("gradebook:assignment", args=[cohort.pk, assignment.pk])
    assert f'href="{url}"' in page


def test_assign_a_case_set(instructor_client, cohort, cases):
    response = assign(
        instructor_client,
        cohort,
        kind="case_set",
        cases=[cases[OFFICE].pk, cases[INPATIENT].pk],
        title="Diabetes week",
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(title="Diabetes week")
    assert set(assignment.cases.all()) == {cases[OFFICE], cases[INPATIENT]}


def test_a_case_set_needs_two_cases(instructor_client, cohort, cases):
    response = assign(
        instructor_client, cohort, kind="case_set", cases=[cases[OFFICE].pk]
    )
    assert response.status_code == 400
    assert forms.CHOOSE_CASES in response.content.decode()
    assert not Assignment.objects.exists()


def test_assign_a_lesson(instructor_client, cohort, lesson):
    response = assign(instructor_client, cohort, kind="lesson", lesson=lesson.pk)
    assert response.status_code == 302
    assert Assignment.objects.get().lesson == lesson


def test_assign_an_exam_with_a_review_override(instructor_client, cohort, blueprints):
    response = assign(
        instructor_client,
        cohort,
        kind="exam",
        blueprint=blueprints["test-cpc"].pk,
        review_policy="never",
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert assignment.blueprint == blueprints["test-cpc"]
    assert assignment.review_policy == "never"


def test_a_missing_target_is_a_field_error(instructor_client, cohort, blueprints):
    response = assign(instructor_client, cohort, kind="exam")
    assert response.status_code == 400
    assert forms.CHOOSE_EXAM in response.content.decode()


@pytest.mark.parametrize("due_at", [due_in(hours=-1), "not a date"])
def test_a_bad_due_date_is_a_field_error(instructor_client, cohort, cases, due_at):
    response = assign(
        instructor_client, cohort, kind="case", case=cases[OFFICE].pk, due_at=due_at
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert forms.DUE_IN_PAST in page or "Enter a valid date/time." in page
    assert not Assignment.objects.exists()


def test_edit_then_delete_an_assignment(instructor_client, cohort, cases, lesson):
    assign(instructor_client, cohort, kind="case", case=cases[OFFICE].pk)
    assignment = Assignment.objects.get()
    edit_url = reverse("cohorts:assignment_edit", args=[assignment.pk])
    form_page = instructor_client.get(edit_url).content.decode()
    assert assignment.title in form_page
    response = instructor_client.post(
        edit_url,
        {"kind": "lesson", "lesson": lesson.pk, "title": "", "due_at": due_in(days=9)},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.kind == "lesson" and assignment.title == lesson.title
    assert not assignment.cases.exists()
    delete_url = reverse("cohorts:assignment_delete", args=[assignment.pk])
    assert instructor_client.get(delete_url).status_code == 200
    instructor_client.post(delete_url)
    assert not Assignment.objects.exists()


def test_grant_an_accommodation_for_an_assigned_exam(
    instructor_client, instructor, member, other_learner, cohort, blueprints
):
    exam = blueprints["test-cpc"]
    assignment = assignment_create(
        cohort=cohort,
        created_by=instructor,
        kind="exam",
        title="Mock exam",
        instructions="",
        due_at=timezone.now() + timedelta(days=3),
        blueprint=exam,
    )
    url = reverse("cohorts:accommodation_create", args=[assignment.pk])
    refused = instructor_client.post(
        url,
        {
            "learner": other_learner.pk,
            "extra_minutes": 30,
            "time_multiplier": 1,
            "extra_attempts": 0,
        },
    )
    assert refused.status_code == 400
    nothing = instructor_client.post(
        url,
        {
            "learner": member.pk,
            "extra_minutes": 0,
            "time_multiplier": 1,
            "extra_attempts": 0,
        },
    )
    assert nothing.status_code == 400
    assert forms.NOTHING_GRANTED in nothing.content.decode()
    assert not Accommodation.objects.exists()
    response = instructor_client.post(
        url,
        {
            "learner": member.pk,
            "extra_minutes": 30,
            "time_multiplier": "1.5",
            "extra_attempts": 1,
            "note": "Extended time letter",
        },
    )
    assert response.status_code == 302
    granted = Accommodation.objects.get()
    assert (granted.learner, granted.blueprint, granted.granted_by) == (
        member,
        exam,
        instructor,
    )
    assert granted.extra_minutes == 30 and granted.extra_attempts == 1
    page = instructor_client.get(response.url).content.decode()
    assert "Extended time letter" in page
