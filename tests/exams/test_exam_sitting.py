"""An instructor's exam sitting: expected learners set in the admin (picked or
pasted as emails), and a live roster that follows each learner from sign-in to
graded, readable only by the sitting's instructor and administrators."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from exams.models import Attempt, ExamSitting
from exams.services import attempt_grade
from exams.sitting_forms import UNKNOWN_EMAIL
from tests.support.accounts import log_in_with_two_factor, make_user

SITTINGS = "/admin/snippets/exams/examsitting/"


@pytest.fixture
def sitting(instructor, learner, cpc):
    sitting = ExamSitting.objects.create(
        blueprint=cpc, instructor=instructor, starts_at=timezone.now(), room="Lab B"
    )
    sitting.learners.add(learner)
    return sitting


def roster_url(sitting) -> str:
    return reverse("exams:sitting", args=[sitting.pk])


def status_of(client, sitting, learner) -> str:
    """The learner's row of the roster, as text."""
    page = client.get(roster_url(sitting))
    assert page.status_code == 200
    rows = re.findall(r"<tr>(.*?)</tr>", page.content.decode(), re.S)
    row = next(row for row in rows if learner.email in row)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_roster_follows_a_learner_from_sign_in_to_graded(
    instructor_client, sitting, learner
):
    assert "Not signed in today" in status_of(instructor_client, sitting, learner)

    learner_client = Client()
    learner_client.force_login(learner)
    assert "Signed in" in status_of(instructor_client, sitting, learner)

    learner_client.post(reverse("exams:start", args=["test-cpc"]))
    attempt = Attempt.objects.get(learner=learner)
    row = status_of(instructor_client, sitting, learner)
    # The time left as people read it: "29 min 59 s", not "29.98 minutes".
    assert re.search(r"Attempt in progress Answered 0 of 4, \d+ min( \d+ s)? left", row)

    learner_client.post(
        reverse("exams:question", args=[attempt.pk, 1]), {"options": "b", "go": "2"}
    )
    row = status_of(instructor_client, sitting, learner)
    assert "Answered 1 of 4" in row

    learner_client.post(reverse("exams:submit", args=[attempt.pk]))
    row = status_of(instructor_client, sitting, learner)
    assert "Submitted Answered 1 of 4" in row

    # What the worker does with the queued grading task.
    attempt_grade(attempt_id=attempt.pk)
    assert "Graded" in status_of(instructor_client, sitting, learner)


def test_an_attempt_from_an_earlier_day_is_not_this_sittings(
    instructor_client, sitting, learner, cpc
):
    learner_client = Client()
    learner_client.force_login(learner)
    learner_client.post(reverse("exams:start", args=["test-cpc"]))
    Attempt.objects.filter(learner=learner).update(
        started_at=timezone.now() - timedelta(days=2)
    )
    assert "Signed in —" in status_of(instructor_client, sitting, learner)


def test_roster_takes_the_same_queries_for_one_learner_or_many(
    instructor_client, sitting, learner, cpc
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert instructor_client.get(roster_url(sitting)).status_code == 200
        return len(captured)

    one = queries()
    for n in range(4):
        other = make_user(f"lab{n}@example.test", Role.LEARNER)
        sitting.learners.add(other)
        client = Client()
        client.force_login(other)
        if n % 2:
            client.post(reverse("exams:start", args=["test-cpc"]))
        if n == 3:
            attempt = Attempt.objects.get(learner=other)
            client.post(reverse("exams:submit", args=[attempt.pk]))
    assert queries() == one


def test_only_the_sittings_instructor_and_administrators_open_the_roster(
    client, sitting, learner, administrator
):
    assert client.get(roster_url(sitting)).status_code == 302

    client.force_login(learner)
    assert client.get(roster_url(sitting)).status_code == 404

    other = make_user("other.instructor@example.test", Role.INSTRUCTOR)
    log_in_with_two_factor(client, other)
    assert client.get(roster_url(sitting)).status_code == 404
    assert client.get(reverse("exams:sitting", args=[0])).status_code == 404

    log_in_with_two_factor(client, administrator)
    roster = client.get(roster_url(sitting))
    assert roster.status_code == 200
    page = roster.content.decode()
    assert 'http-equiv="refresh"' not in page
    assert 'data-auto-refresh="30"' in page and "Pause automatic refresh" in page


def admin_form(cpc, **fields) -> dict:
    return {
        "blueprint": cpc.pk,
        "starts_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "room": "Lab A",
        **fields,
    }


def test_pasted_emails_become_expected_learners_and_the_creator_runs_it(
    instructor_client, instructor, learner, other_learner, cpc
):
    response = instructor_client.post(
        f"{SITTINGS}add/",
        admin_form(
            cpc, learner_emails=f"{learner.email.upper()},\n{other_learner.email}"
        ),
    )
    assert response.status_code == 302, response.content[:2000]
    sitting = ExamSitting.objects.get()
    assert sitting.instructor == instructor
    assert set(sitting.learners.all()) == {learner, other_learner}
    listing = instructor_client.get(SITTINGS)
    assert roster_url(sitting).encode() in listing.content
    edit = instructor_client.get(f"{SITTINGS}edit/{sitting.pk}/")
    assert edit.status_code == 200 and b"learner_emails" in edit.content


def test_an_unknown_email_is_a_field_error_naming_it(instructor_client, learner, cpc):
    response = instructor_client.post(
        f"{SITTINGS}add/",
        admin_form(
            cpc,
            learner_emails=f"{learner.email} nobody@example.test ghost@example.test",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["learner_emails"]
    assert errors == [
        UNKNOWN_EMAIL.format(email="nobody@example.test"),
        UNKNOWN_EMAIL.format(email="ghost@example.test"),
    ]
    assert not ExamSitting.objects.exists()


def test_the_instructors_dashboard_links_to_todays_sitting(
    instructor_client, sitting, learner
):
    dashboard = instructor_client.get("/dashboard/").content.decode()
    assert "Sittings you run" in dashboard and roster_url(sitting) in dashboard
    learner_client = Client()
    learner_client.force_login(learner)
    assert "Sittings you run" not in learner_client.get("/dashboard/").content.decode()
