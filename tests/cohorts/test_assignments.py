"""Assigning work: a case, a set of cases, a lesson and a mock exam, edited and
deleted; learners see their assignments with a status on the dashboard, the
instructor sees how many handed them in; accommodations for an assigned exam."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts import forms
from cohorts.models import Assignment
from cohorts.services import assignment_create, cohort_join
from exams.models import Accommodation, Attempt
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


def dashboard(client) -> str:
    return client.get(reverse("core:dashboard")).content.decode()


def test_assign_a_case_with_its_title_by_default(instructor_client, cohort, cases):
    response = assign(instructor_client, cohort, kind="case", case=cases[OFFICE].pk)
    assignment = Assignment.objects.get()
    assert response.url == reverse("cohorts:assignment", args=[assignment.pk])
    assert assignment.title == cases[OFFICE].title
    assert list(assignment.cases.all()) == [cases[OFFICE]]
    page = instructor_client.get(response.url).content.decode()
    assert reverse("case_studies:practice", args=[OFFICE]) in page


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


def test_the_learner_dashboard_lists_assignments_with_status(
    learner_client, member, cohort, instructor, cases, lesson, blueprints
):
    soon = timezone.now() + timedelta(days=2)

    def make(kind, title, **target):
        return assignment_create(
            cohort=cohort,
            created_by=instructor,
            kind=kind,
            title=title,
            instructions="",
            due_at=soon,
            **target,
        )

    make("case", "Office case", cases=[cases[OFFICE]])
    make("lesson", "Read the lesson", lesson=lesson)
    make("exam", "Mock exam", blueprint=blueprints["test-short"])
    past = make("case_set", "Both cases", cases=list(cases.values()))
    Assignment.objects.filter(pk=past.pk).update(
        assigned_at=timezone.now() - timedelta(days=5),
        due_at=timezone.now() - timedelta(days=1),
    )
    learner_client.get(reverse("case_studies:practice", args=[OFFICE]))
    learner_client.post(reverse("exams:start", args=["test-short"]))
    attempt = Attempt.objects.get(learner=member)
    learner_client.post(reverse("exams:submit", args=[attempt.pk]))

    page = dashboard(learner_client)
    assert "Your assignments" in page
    rows = {title: _row(page, title) for title in ("Office case", "Read the lesson")}
    assert "In progress" in rows["Office case"]
    assert "Not started" in rows["Read the lesson"]
    assert "Submitted" in _row(page, "Mock exam")
    assert "Overdue" in _row(page, "Both cases")
    assert reverse("exams:start", args=["test-short"]) in page
    assert lesson.url in page


def _row(page: str, title: str) -> str:
    start = page.index(f"<strong>{title}</strong>")
    return page[start : page.index("</tr>", start)]


def test_a_learner_outside_the_class_sees_no_assignments(
    other_learner_client, cohort, instructor, cases
):
    assignment_create(
        cohort=cohort,
        created_by=instructor,
        kind="case",
        title="Office case",
        instructions="",
        due_at=timezone.now() + timedelta(days=2),
        cases=[cases[OFFICE]],
    )
    assert "Office case" not in dashboard(other_learner_client)


def test_the_instructor_panel_counts_submissions(
    instructor_client, member, cohort, instructor, blueprints
):
    learner_client = Client()
    learner_client.force_login(member)
    assignment_create(
        cohort=cohort,
        created_by=instructor,
        kind="exam",
        title="Mock exam",
        instructions="",
        due_at=timezone.now() + timedelta(days=3),
        blueprint=blueprints["test-short"],
    )
    page = dashboard(instructor_client)
    assert "CPC spring</a>: 1 learner" in page
    assert "0 of 1 submitted" in page
    learner_client.post(reverse("exams:start", args=["test-short"]))
    attempt = Attempt.objects.get(learner=member)
    learner_client.post(reverse("exams:submit", args=[attempt.pk]))
    assert "1 of 1 submitted" in dashboard(instructor_client)


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


def test_the_dashboard_reads_assignments_in_a_fixed_number_of_queries(
    learner_client, member, cohort, instructor, cases, blueprints
):
    def add(number):
        assignment_create(
            cohort=cohort,
            created_by=instructor,
            kind="case_set",
            title=f"Set {number}",
            instructions="",
            due_at=timezone.now() + timedelta(days=number),
            cases=list(cases.values()),
        )
        assignment_create(
            cohort=cohort,
            created_by=instructor,
            kind="exam",
            title=f"Exam {number}",
            instructions="",
            due_at=timezone.now() + timedelta(days=number),
            blueprint=blueprints["test-short"],
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert learner_client.get(reverse("core:dashboard")).status_code == 200
        return len(captured)

    add(1)
    learner_client.get(reverse("case_studies:practice", args=[OFFICE]))
    one = queries()
    add(2)
    add(3)
    assert queries() == one
