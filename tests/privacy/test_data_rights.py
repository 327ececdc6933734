"""A learner downloads their data and deletes their account, through the pages;
nobody can do either for someone else."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Invitation, Membership
from disputes.lines import DisputedLine
from disputes.models import Dispute
from disputes.services import dispute_open, dispute_reject
from exams.models import Attempt
from grading.models import GradedResponse
from notifications.models import Notification
from privacy.services import STAFF_ACCOUNT, WRONG_PASSWORD
from privacy.views import ACCOUNT_DELETED
from readiness.models import MockExamPrediction
from tests.grading.test_visibility import blueprint, sit_and_grade  # noqa: F401
from tests.support.accounts import PASSWORD

pytestmark = pytest.mark.django_db

EXPORT = reverse("privacy:export")
DELETE = reverse("privacy:delete")
RULING = "The note documents hyperglycemia: E11.65 stands."


@pytest.fixture
def other_client(other_learner):
    client = Client()
    client.force_login(other_learner)
    return client


@pytest.fixture
def both_sat(learner_client, other_client, blueprint):  # noqa: F811
    """Each learner sat the exam once, and their answers are in the ledger."""
    return sit_and_grade(learner_client, blueprint), sit_and_grade(
        other_client, blueprint
    )


def test_the_export_holds_the_learners_data_and_no_one_elses(
    learner_client, learner, other_learner, both_sat
):
    response = learner_client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == learner.email
    (attempt,) = data["exam_attempts"]
    assert attempt["exam"] == "Visibility exam" and attempt["score_visible"]
    answers = [answer["response"] for answer in attempt["answers"]]
    assert {"options": ["a"]} in answers
    own = GradedResponse.objects.filter(learner=learner).values_list("pk", flat=True)
    assert sorted(row["id"] for row in data["graded_responses"]) == sorted(own)
    assert other_learner.email not in response.content.decode()


def test_the_export_needs_a_login(client):
    response = client.get(EXPORT)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_deleting_keeps_anonymous_answers_and_logs_out(
    learner_client, learner, other_learner, both_sat
):
    counts = GradedResponse.objects.values_list("item_id").order_by("item_id")
    before = list(counts)
    response = learner_client.post(DELETE, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert ACCOUNT_DELETED in response.content.decode()
    assert not get_user_model().objects.filter(pk=learner.pk).exists()
    assert not Attempt.objects.filter(learner_id=learner.pk).exists()
    assert list(counts) == before
    anonymous = GradedResponse.objects.filter(learner__isnull=True)
    assert anonymous.count() == 2
    assert all(row.attempt_ref.startswith("anonymised:") for row in anonymous)
    (key,) = set(anonymous.values_list("former_learner", flat=True))
    assert len(key) == 32
    assert GradedResponse.objects.filter(learner=other_learner).count() == 2
    assert learner_client.get(EXPORT).status_code == 302


def test_a_wrong_password_deletes_nothing(learner_client, learner):
    response = learner_client.post(DELETE, {"password": "not-my-password"})
    assert response.status_code == 400
    assert WRONG_PASSWORD in response.content.decode()
    assert get_user_model().objects.filter(pk=learner.pk).exists()


def test_another_user_cannot_delete_an_account(learner, other_client, other_learner):
    """The view acts on the signed-in user only: another learner who knows this
    learner's password still only reaches their own account, and without a CSRF
    token a forged request from another site is refused."""
    other_learner.set_password("someone-elses-password")
    other_learner.save()
    other_client.force_login(other_learner)
    response = other_client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=learner.pk).exists()
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(learner)
    assert forged.post(DELETE, {"password": PASSWORD}).status_code == 403
    assert get_user_model().objects.filter(pk=learner.pk).exists()


def test_staff_accounts_are_closed_by_an_administrator(instructor_client, instructor):
    page = instructor_client.get(reverse("privacy:overview")).content.decode()
    assert STAFF_ACCOUNT in page and 'name="password"' not in page
    response = instructor_client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 400
    assert get_user_model().objects.filter(pk=instructor.pk).exists()


def test_the_dashboard_links_to_the_data_page(learner_client):
    page = learner_client.get("/dashboard/").content.decode()
    assert reverse("privacy:overview") in page


def test_the_export_holds_the_learners_mock_exam_predictions_only(
    learner_client, learner, other_learner, both_sat
):
    for attempt in Attempt.objects.filter(learner__in=[learner, other_learner]):
        MockExamPrediction.objects.create(
            learner=attempt.learner,
            certification=attempt.blueprint.certification,
            attempt=attempt,
            predicted=71.0 if attempt.learner == learner else 55.0,
            low=60.0,
            high=80.0,
            pass_probability=0.55,
            model_sd=5.0,
            responses=40,
            score=74.0,
            passed=True,
            sat_at=timezone.now(),
        )
    data = json.loads(learner_client.get(EXPORT).content)
    (prediction,) = data["readiness"]["mock_exam_predictions"]
    assert prediction["predicted"] == 71.0 and prediction["score"] == 74.0


def open_and_reject(person, instructor) -> Dispute:
    line = DisputedLine(
        line="item",
        label=f"Question of {person.email}",
        learner_answer="a",
        key_answer="b",
        feedback="1 / 1 points",
    )
    dispute = dispute_open(
        learner=person,
        graded_response=GradedResponse.objects.filter(learner=person).first(),
        line=line,
        reason=f"My answer is right, says {person.email}.",
        citation="I.C.4.a",
    )
    return dispute_reject(dispute=dispute, ruled_by=instructor, explanation=RULING)


@pytest.fixture
def class_life(learner, other_learner, instructor, both_sat):
    """Each learner joined a class they were invited to and disputed an answer,
    which was rejected with a ruling they were notified of."""
    cohort = Cohort.objects.create(name="Evening CPC")
    for person in (learner, other_learner):
        Invitation.objects.create(
            cohort=cohort, email=person.email.upper(), accepted_at=timezone.now()
        )
        Membership.objects.create(cohort=cohort, learner=person)
        open_and_reject(person, instructor)
    return cohort


def test_the_export_holds_the_learners_classes_disputes_and_notifications(
    learner_client, learner, other_learner, class_life
):
    data = json.loads(learner_client.get(EXPORT).content)
    assert [row["class"] for row in data["classes"]["memberships"]] == ["Evening CPC"]
    [invitation] = data["classes"]["invitations"]
    assert invitation["email"] == learner.email.upper() and invitation["accepted_at"]
    [dispute] = data["disputes"]
    assert dispute["reason"] == f"My answer is right, says {learner.email}."
    assert (dispute["status"], dispute["ruling"]) == ("rejected", RULING)
    assert dispute["ruled_at"]
    [notification] = data["notifications"]
    assert notification["body"] == RULING and "rejected" in notification["subject"]
    assert other_learner.email not in json.dumps(data).lower()


def test_deleting_takes_classes_disputes_and_notifications_with_the_account(
    learner_client, learner, other_learner, class_life
):
    answers = GradedResponse.objects.count()
    response = learner_client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 302
    assert not Membership.objects.filter(learner_id=learner.pk).exists()
    assert not Invitation.objects.filter(email__iexact=learner.email).exists()
    assert not Dispute.objects.filter(learner_id=learner.pk).exists()
    assert not Notification.objects.filter(user_id=learner.pk).exists()
    assert GradedResponse.objects.count() == answers
    assert Membership.objects.filter(learner=other_learner).count() == 1
    assert Invitation.objects.filter(email__iexact=other_learner.email).count() == 1
    assert Dispute.objects.filter(learner=other_learner).count() == 1
    assert Notification.objects.filter(user=other_learner).count() == 1


def test_an_unverified_address_neither_shows_nor_deletes_its_invitations(
    learner_client, learner, class_life
):
    EmailAddress.objects.filter(user=learner).update(verified=False)
    assert (
        json.loads(learner_client.get(EXPORT).content)["classes"]["invitations"] == []
    )
    learner_client.post(DELETE, {"password": PASSWORD})
    assert Invitation.objects.filter(email__iexact=learner.email).exists()
