"""Graded billing work counts toward CCA readiness in the domains its scenario
practises, like any graded answer in the ledger."""

import pytest

from billing import services
from billing.engine.claim import Claim
from billing.models import BillingScenarioPage
from certifications.models import Certification
from readiness.models import DomainAbility
from readiness.services import readiness_update_for_response

pytestmark = pytest.mark.usefixtures("billing_world")


def test_a_graded_claim_moves_the_reimbursement_domain(learner, right_claim):
    page = BillingScenarioPage.objects.get(slug="test-epidural-claim")
    attempt = services.attempt_start(learner=learner, page=page)
    services.attempt_submit(attempt=attempt, claim=Claim.model_validate(right_claim))
    attempt.refresh_from_db()

    readiness_update_for_response(graded_response_id=attempt.graded_claim_id)

    cca = Certification.objects.get(slug="cca")
    abilities = DomainAbility.objects.filter(learner=learner, domain__certification=cca)
    answered = {a.domain.slug: a.responses for a in abilities if a.responses}
    assert answered == {"cca-reimbursement": 1}
