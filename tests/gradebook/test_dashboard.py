"""The dashboard panels read through the gradebook's rule: a learner sees each
assignment of their classes with its status badge and, once final, its score (a
mock exam's only as its review policy shows scores); an instructor sees how many
learners handed in (submitted or late) the work due around now."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Assignment, Cohort, Membership
from exams.models import Attempt, Blueprint
from tests.gradebook.conftest import (
    OFFICE,
    OFFICE_RIGHT,
    assign,
    case_submitted,
    exam_graded,
)

pytestmark = pytest.mark.django_db

Kind = Assignment.Kind
SOON = timedelta(days=2)


@pytest.fixture
def member(cohort, learner):
    Membership.objects.create(cohort=cohort, learner=learner)
    return learner


def dashboard(client) -> str:
    return client.get(reverse("core:dashboard")).content.decode()


def _row(page: str, title: str) -> str:
    start = page.index(f"<strong>{title}</strong>")
    return page[start : page.index("</tr>", start)]


def test_the_learner_dashboard_lists_assignments_with_status_and_final_score(
    learner_client, member, cohort, content
):
    short = Blueprint.objects.get(slug="test-short")
    assign(cohort, Kind.CASE, title="Office case", due=SOON, cases=[content["office"]])
    assign(
        cohort, Kind.LESSON, title="Read the lesson", due=SOON, lesson=content["lesson"]
    )
    assign(cohort, Kind.EXAM, title="Mock exam", due=SOON, blueprint=short)
    assign(
        cohort,
        Kind.CASE_SET,
        title="Both cases",
        due=timedelta(days=-1),
        set_before=timedelta(days=5),
        cases=[content["office"], content["inpatient"]],
    )
    learner_client.get(reverse("case_studies:practice", args=[OFFICE]))
    learner_client.post(reverse("exams:start", args=["test-short"]))
    attempt = Attempt.objects.get(learner=member)
    learner_client.post(reverse("exams:submit", args=[attempt.pk]))

    page = dashboard(learner_client)

    assert "Your assignments" in page
    office = _row(page, "Office case")
    assert "In progress" in office and "%" not in office
    assert "Not started" in _row(page, "Read the lesson")
    exam = _row(page, "Mock exam")
    assert "Submitted" in exam and "Grading" in exam
    # Past due with no case handed in: missing, and it scores 0.
    both = _row(page, "Both cases")
    assert 'badge--bad">Missing' in both and "0.0%" in both
    assert "Overdue" not in page
    assert reverse("exams:start", args=["test-short"]) in page
    assert content["lesson"].url in page


def test_a_case_handed_in_shows_its_score(learner_client, member, cohort, content):
    assign(cohort, Kind.CASE, title="Office case", due=SOON, cases=[content["office"]])
    case_submitted(member, content["office"], OFFICE_RIGHT)

    office = _row(dashboard(learner_client), "Office case")

    assert 'badge--ok">Submitted' in office and "100.0%" in office


def test_an_exam_score_waits_for_the_close_under_an_after_close_override(
    learner_client, member, cohort, content
):
    exam = assign(
        cohort,
        Kind.EXAM,
        title="Mock exam",
        due=SOON,
        blueprint=content["exam"],
        review_policy="after_close",
    )
    exam_graded(member, content["exam"], right=True)

    before = _row(dashboard(learner_client), "Mock exam")
    Assignment.objects.filter(pk=exam.pk).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )
    after = _row(dashboard(learner_client), "Mock exam")

    assert "Submitted" in before
    assert "100.0%" not in before and "Passed" not in before
    assert "100.0%" in after and "Passed" in after


def test_a_learner_outside_the_class_sees_no_assignments(
    client, other_learner, cohort, content
):
    assign(cohort, Kind.CASE, title="Office case", due=SOON, cases=[content["office"]])
    client.force_login(other_learner)
    assert "Office case" not in dashboard(client)


def test_the_instructor_panel_counts_submitted_and_late_work(
    instructor_client, member, cohort, content
):
    learner_client = Client()
    learner_client.force_login(member)
    short = Blueprint.objects.get(slug="test-short")
    assign(cohort, Kind.EXAM, title="Mock exam", due=timedelta(days=3), blueprint=short)
    assign(
        cohort,
        Kind.CASE,
        title="Office case",
        due=timedelta(days=-1),
        cases=[content["office"]],
    )

    page = dashboard(instructor_client)
    assert f"{cohort.name}</a>: 1 learner" in page
    due_soon, past_due = page.split("Past due in the last")
    assert "0 of 1 submitted" in due_soon and "0 of 1 submitted" in past_due

    learner_client.post(reverse("exams:start", args=["test-short"]))
    attempt = Attempt.objects.get(learner=member)
    learner_client.post(reverse("exams:submit", args=[attempt.pk]))
    case_submitted(member, content["office"], OFFICE_RIGHT)

    due_soon, past_due = dashboard(instructor_client).split("Past due in the last")
    assert "1 of 1 submitted" in due_soon
    # Handed in after the due date: late, and counted.
    assert "1 of 1 submitted" in past_due


def test_the_instructor_panel_links_each_assignment_to_its_learners(
    instructor_client, cohort, content
):
    assignment = assign(
        cohort, Kind.CASE, title="Office case", due=SOON, cases=[content["office"]]
    )
    page = dashboard(instructor_client)
    url = reverse("gradebook:assignment", args=[cohort.pk, assignment.pk])
    assert f'href="{url}"' in page


def test_an_instructor_of_no_class_sees_no_classes_panel(
    other_instructor_client, cohort, content
):
    assign(cohort, Kind.CASE, title="Office case", due=SOON, cases=[content["office"]])
    page = dashboard(other_instructor_client)
    assert "Your classes" not in page and "Office case" not in page


def test_the_dashboard_reads_assignments_in_a_fixed_number_of_queries(
    learner_client, member, cohort, content
):
    short = Blueprint.objects.get(slug="test-short")
    cases = [content["office"], content["inpatient"]]

    def add(number):
        due = timedelta(days=number)
        assign(cohort, Kind.CASE_SET, title=f"Set {number}", due=due, cases=cases)
        assign(cohort, Kind.EXAM, title=f"Exam {number}", due=due, blueprint=short)

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


def test_another_class_is_not_on_the_instructor_panel(
    instructor_client, cohort, content
):
    theirs = Cohort.objects.create(name="Someone else's class")
    assign(theirs, Kind.CASE, title="Their case", due=SOON, cases=[content["office"]])
    assign(cohort, Kind.CASE, title="Our case", due=SOON, cases=[content["office"]])
    page = dashboard(instructor_client)
    assert "Our case" in page and "Their case" not in page
