"""A learner's billing work is in their data export, and no one else's; deleting
the account takes the work and keeps its graded answers anonymously."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from billing import services
from billing.engine.claim import Claim
from billing.models import BillingAttempt, BillingScenarioPage, DenialWork
from grading.models import GradedResponse
from tests.support.accounts import PASSWORD

pytestmark = pytest.mark.usefixtures("billing_world")

LETTER = "Please reprocess claim RB-20526: the procedure note is enclosed."


def appealed(learner) -> BillingAttempt:
    page = BillingScenarioPage.objects.get(slug="test-epidural-denial")
    attempt = services.attempt_start(learner=learner, page=page)
    work = services.denial_work(
        attempt=attempt, line_number=1, category="medical_necessity", action="appeal"
    )
    services.appeal_submit(work=work, letter=LETTER)
    return attempt


def test_the_export_holds_the_learners_billing_work_only(
    learner_client, learner, other_learner, right_claim
):
    appealed(learner)
    page = BillingScenarioPage.objects.get(slug="test-epidural-claim")
    other = services.attempt_start(learner=other_learner, page=page)
    services.attempt_claim_save(attempt=other, claim=Claim.model_validate(right_claim))

    data = json.loads(learner_client.get(reverse("privacy:export")).content)
    (attempt,) = data["billing_attempts"]
    assert attempt["scenario_slug"] == "test-epidural-denial"
    assert attempt["era"].startswith("ISA*")
    (denial,) = attempt["denials"]
    assert denial["action"] == "appeal" and denial["appeal_letter"] == LETTER


def test_deleting_the_account_takes_the_work_and_keeps_the_grades_anonymously(
    learner_client, learner
):
    appealed(learner)
    graded = GradedResponse.objects.filter(learner=learner).count()
    assert graded == 1
    learner_client.post(reverse("privacy:delete"), {"password": PASSWORD})
    assert not get_user_model().objects.filter(pk=learner.pk).exists()
    assert not BillingAttempt.objects.exists()
    assert not DenialWork.objects.exists()
    assert GradedResponse.objects.filter(learner__isnull=True).count() == graded
