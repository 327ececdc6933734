"""A learner's graded case attempt and graded mock exam, through the real pages
and services, and a client per person."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from exams.models import Attempt
from exams.services import attempt_grade
from grading.models import GradedResponse
from tests.case_studies.conftest import cases, code_sets  # noqa: F401
from tests.exams.conftest import cpc, exams  # noqa: F401
from tests.support.accounts import log_in_with_two_factor, make_user

OFFICE = "test-office-diabetes"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def learner_browser(learner):
    return signed_in(learner)


@pytest.fixture
def other_browser(other_learner):
    return signed_in(other_learner)


@pytest.fixture
def instructor_browser(instructor):
    return log_in_with_two_factor(Client(), instructor)


@pytest.fixture
def second_instructor(db):
    return make_user("second.instructor@example.test", Role.INSTRUCTOR)


@pytest.fixture
def second_instructor_browser(second_instructor):
    return log_in_with_two_factor(Client(), second_instructor)


@pytest.fixture
def administrator_browser(administrator):
    return log_in_with_two_factor(Client(), administrator)


def submit_case(client, slug=OFFICE, **fields) -> GradedResponse:
    """Submit the office case with E11.9 where the key has E11.65; returns the
    attempt's ledger row."""
    url = reverse("case_studies:practice", args=[slug])
    attempt = client.get(url).context["attempt"]
    answer = {
        "dx-0-code": "E11.9",
        "dx-1-code": "E78.5",
        "svc-0-code": "99214",
        "svc-0-units": "1",
        "svc-0-pointers": "1, 2",
        **fields,
    }
    response = client.post(url, {"attempt": attempt.pk, **answer})
    assert response.status_code == 302
    return GradedResponse.objects.get(attempt_ref=f"case-attempt:{attempt.pk}")


@pytest.fixture
def case_response(cases, learner_browser):  # noqa: F811
    return submit_case(learner_browser)


def sit_exam(client, slug="test-cpc") -> Attempt:
    """Start the exam, answer question 2 with option a, submit and grade it."""
    assert client.post(reverse("exams:start", args=[slug])).status_code == 302
    attempt = Attempt.objects.get(status="in_progress", blueprint__slug=slug)
    client.post(
        reverse("exams:question", args=[attempt.pk, 2]), {"options": "a", "go": "stay"}
    )
    client.post(reverse("exams:submit", args=[attempt.pk]))
    return attempt_grade(attempt_id=attempt.pk)
