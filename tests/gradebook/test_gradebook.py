"""The gradebook page of a class: every cell read from the learner's real records
(case attempts, exam attempts, lesson progress), its status, the class average
and each learner's overall; only the class's instructors and administrators."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from case_studies.models import CaseAttempt
from cohorts.models import Assignment, Cohort
from grading.models import GradedResponse
from tests.gradebook.conftest import (
    INPATIENT_RIGHT,
    OFFICE_NEAR_MISS,
    OFFICE_RIGHT,
    assign,
    case_submitted,
    check_answered,
    exam_graded,
    member,
)

pytestmark = pytest.mark.django_db

Kind = Assignment.Kind
WEEK = timedelta(days=7)
YESTERDAY = timedelta(days=-1)


def page_url(cohort):
    return reverse("gradebook:cohort", args=[cohort.pk])


def cells(reply) -> dict:
    """{(learner email, assignment title): grade} as the page computed them."""
    book = reply.context["book"]
    return {
        (row.learner.email, assignment.title): grade
        for row in book.rows
        for assignment, grade in zip(book.assignments, row.grades, strict=True)
    }


def percent_of(attempt: CaseAttempt) -> float:
    row = GradedResponse.objects.get(pk=attempt.graded_response_id)
    return 100 * row.points / row.max_points


def test_case_cells_follow_the_attempts(instructor_client, cohort, content):
    office = content["office"]
    open_case = assign(cohort, Kind.CASE, title="Office", due=WEEK, cases=[office])
    past_case = assign(cohort, Kind.CASE, title="Past", due=YESTERDAY, cases=[office])
    ada = member(cohort, "ada@example.test")
    ben = member(cohort, "ben@example.test")
    cy = member(cohort, "cy@example.test")
    dee = member(cohort, "dee@example.test")
    # Ada: a near miss, then the key: the best attempt counts. Submitted now,
    # after the past assignment's due date: late there, on time for the open one.
    near = case_submitted(ada, office, OFFICE_NEAR_MISS)
    case_submitted(ada, office, OFFICE_RIGHT)
    # Ben: submitted on time (two days ago) at the past assignment.
    on_time = case_submitted(
        ben, office, OFFICE_NEAR_MISS, at=past_case.due_at - timedelta(days=1)
    )
    # Cy: started and not submitted.
    from case_studies.services import attempt_start

    attempt_start(learner=cy, case=office)
    # Dee: submitted a week before either assignment was set: it does not count.
    case_submitted(dee, office, OFFICE_RIGHT, at=open_case.assigned_at - WEEK)

    reply = instructor_client.get(page_url(cohort))

    assert reply.status_code == 200
    grades = cells(reply)
    ada_open, ada_past = grades[ada.email, "Office"], grades[ada.email, "Past"]
    assert (ada_open.status, ada_open.percent) == ("submitted", 100.0)
    assert (ada_past.status, ada_past.percent) == ("late", 100.0)
    assert 0 < percent_of(near) < 100
    ben_open, ben_past = grades[ben.email, "Office"], grades[ben.email, "Past"]
    assert (ben_past.status, ben_past.percent) == ("submitted", percent_of(on_time))
    assert (ben_open.status, ben_open.percent) == ("submitted", percent_of(on_time))
    cy_open, cy_past = grades[cy.email, "Office"], grades[cy.email, "Past"]
    assert (cy_open.status, cy_open.percent) == ("in_progress", None)
    assert (cy_past.status, cy_past.percent) == ("missing", 0.0)
    dee_open, dee_past = grades[dee.email, "Office"], grades[dee.email, "Past"]
    assert (dee_open.status, dee_open.percent) == ("not_started", None)
    assert (dee_past.status, dee_past.percent) == ("missing", 0.0)
    book = reply.context["book"]
    office_average = book.averages[book.assignments.index(open_case)]
    assert office_average == pytest.approx((100 + percent_of(on_time)) / 2)
    ada_row = next(row for row in book.rows if row.learner == ada)
    assert ada_row.overall == 100.0
    page = reply.content.decode()
    for label in ("Submitted", "Late", "Missing", "In progress", "Not started"):
        assert label in page
    assert f"<strong>{percent_of(on_time):.1f}%</strong>" in page


def test_a_case_set_averages_its_cases_and_counts_missing_ones_after_the_due_date(
    instructor_client, cohort, content
):
    cases = [content["office"], content["inpatient"]]
    past = assign(cohort, Kind.CASE_SET, title="Past set", due=YESTERDAY, cases=cases)
    assign(cohort, Kind.CASE_SET, title="Open set", due=WEEK, cases=cases)
    ada = member(cohort, "ada@example.test")
    ben = member(cohort, "ben@example.test")
    before_due = past.due_at - timedelta(hours=2)
    case_submitted(ada, content["office"], OFFICE_RIGHT, at=before_due)
    case_submitted(ben, content["office"], OFFICE_RIGHT, at=before_due)
    inpatient = case_submitted(ben, content["inpatient"], INPATIENT_RIGHT)

    grades = cells(instructor_client.get(page_url(cohort)))

    # Ada left the inpatient case: it counts 0 once the set is past due and the
    # set is missing work, while the open set is still in progress and has no
    # score yet.
    assert grades[ada.email, "Past set"].percent == pytest.approx(50.0)
    assert grades[ada.email, "Past set"].status == "missing"
    assert grades[ada.email, "Past set"].detail == "1 of 2 cases"
    assert grades[ada.email, "Open set"].status == "in_progress"
    assert grades[ada.email, "Open set"].percent is None
    # Ben finished the set, the second case after the due date: late.
    assert grades[ben.email, "Past set"].status == "late"
    assert grades[ben.email, "Past set"].percent == pytest.approx(
        (100 + percent_of(inpatient)) / 2
    )
    assert grades[ben.email, "Open set"].status == "submitted"


def test_exam_and_lesson_cells(instructor_client, cohort, content):
    exam = assign(cohort, Kind.EXAM, title="Mock", due=WEEK, blueprint=content["exam"])
    assign(cohort, Kind.LESSON, title="Reading", due=WEEK, lesson=content["lesson"])
    ada = member(cohort, "ada@example.test")
    ben = member(cohort, "ben@example.test")
    failed = exam_graded(ada, content["exam"], right=False)
    passed = exam_graded(ada, content["exam"], right=True)
    exam_graded(ben, content["exam"], right=True)
    # Ben's only attempt was started before the exam was assigned.
    from exams.models import Attempt

    Attempt.objects.filter(learner=ben).update(
        started_at=exam.assigned_at - timedelta(hours=1)
    )
    check_answered(ada, content["lesson"], ["a"])
    check_answered(ada, content["lesson"], ["b"])

    reply = instructor_client.get(page_url(cohort))

    grades = cells(reply)
    mock = grades[ada.email, "Mock"]
    assert (failed.passed, passed.passed) == (False, True)
    assert (mock.status, mock.percent, mock.passed) == ("submitted", 100.0, True)
    assert grades[ben.email, "Mock"].status == "not_started"
    reading = grades[ada.email, "Reading"]
    # A knowledge check scores its first try (wrong here); the second passed it.
    assert (reading.status, reading.completed, reading.percent) == (
        "submitted",
        True,
        0.0,
    )
    assert "1 of 1 checks passed" in reading.detail
    assert grades[ben.email, "Reading"].status == "not_started"
    assert "Passed" in reply.content.decode()


def test_each_cell_links_to_its_drill_down(instructor_client, cohort, content):
    assignment = assign(
        cohort, Kind.CASE, title="Office", due=WEEK, cases=[content["office"]]
    )
    ada = member(cohort, "ada@example.test")

    page = instructor_client.get(page_url(cohort)).content.decode()

    url = reverse(
        "gradebook:learner_assignment", args=[cohort.pk, ada.pk, assignment.pk]
    )
    assert f'href="{url}"' in page


def test_the_page_reads_a_class_in_a_fixed_number_of_queries(
    instructor_client, cohort, content, django_assert_max_num_queries
):
    office, inpatient = content["office"], content["inpatient"]
    assign(cohort, Kind.CASE, title="Office", due=YESTERDAY, cases=[office])
    assign(cohort, Kind.CASE_SET, title="Set", due=WEEK, cases=[office, inpatient])
    assign(cohort, Kind.EXAM, title="Mock", due=WEEK, blueprint=content["exam"])
    assign(cohort, Kind.LESSON, title="Reading", due=WEEK, lesson=content["lesson"])

    def add_learners(first: int, last: int):
        for number in range(first, last):
            learner = member(cohort, f"learner{number}@example.test")
            case_submitted(learner, office, OFFICE_NEAR_MISS)
            if number % 2:
                exam_graded(learner, content["exam"], right=True)
                check_answered(learner, content["lesson"], ["b"])

    add_learners(0, 5)
    with CaptureQueriesContext(connection) as five:
        assert instructor_client.get(page_url(cohort)).status_code == 200
    add_learners(5, 50)
    with django_assert_max_num_queries(len(five.captured_queries)):
        reply = instructor_client.get(page_url(cohort))
    assert len(reply.context["book"].rows) == 50


def test_an_administrator_reads_any_gradebook(administrator_client, cohort, content):
    assert administrator_client.get(page_url(cohort)).status_code == 200


def test_an_empty_class_says_so(instructor_client, cohort):
    page = instructor_client.get(page_url(cohort)).content.decode()
    assert "No work has been assigned" in page and "No learner has joined" in page


def test_another_class_is_not_found(instructor_client, instructor, cohort):
    elsewhere = Cohort.objects.create(name="Someone else's class")
    assert instructor_client.get(page_url(elsewhere)).status_code == 404
    assert instructor_client.get("/gradebook/999999/").status_code == 404


def test_the_class_page_links_to_its_gradebook(instructor_client, cohort):
    page = instructor_client.get(reverse("cohorts:detail", args=[cohort.pk]))
    assert f'href="{page_url(cohort)}"' in page.content.decode()


def test_the_assignment_page_lists_each_learner_with_grade_and_drill_down(
    instructor_client, cohort, content
):
    cases = [content["office"], content["inpatient"]]
    past = assign(cohort, Kind.CASE_SET, title="Past set", due=YESTERDAY, cases=cases)
    ada = member(cohort, "ada@example.test", "Ada Lovelace")
    member(cohort, "ben@example.test", "Ben Okri")
    case_submitted(
        ada, content["office"], OFFICE_RIGHT, at=past.due_at - timedelta(hours=2)
    )

    reply = instructor_client.get(
        reverse("gradebook:assignment", args=[cohort.pk, past.pk])
    )

    assert reply.status_code == 200
    page = reply.content.decode()
    ada_row = page[page.index("Ada Lovelace") : page.index("</tr>", page.index("Ada"))]
    assert "50.0%" in ada_row and "1 of 2 cases" in ada_row
    drill_down = reverse(
        "gradebook:learner_assignment", args=[cohort.pk, ada.pk, past.pk]
    )
    assert f'href="{drill_down}"' in ada_row
    ben_row = page[page.index("Ben Okri") : page.index("</tr>", page.index("Ben"))]
    assert 'badge--bad">Missing' in ben_row
    assert "0.0%" in ben_row and "0 of 2 cases" in ben_row


def test_each_column_of_the_gradebook_links_to_its_assignment_page(
    instructor_client, cohort, content
):
    assignment = assign(
        cohort, Kind.CASE, title="Office", due=WEEK, cases=[content["office"]]
    )
    page = instructor_client.get(page_url(cohort)).content.decode()
    url = reverse("gradebook:assignment", args=[cohort.pk, assignment.pk])
    assert f'href="{url}"' in page
