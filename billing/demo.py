"""The demo learner's billing work, so that the demo shows a claim through to an
appeal waiting in the instructors' queue: built through the real services."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from accounts.demo import demo_user
from accounts.roles import Role
from billing import services
from billing.engine.claim_key import parse_claim_key
from billing.models import BillingAttempt, BillingScenarioPage

DEMO_SCENARIO = "epidural-injection-claim"
DEMO_LETTER = (
    "Re: patient account {account}, payer claim number {number}, date of service "
    "{service_date}.\n\n"
    "Line 1 (64483-RT) was denied CO-50 with remark M127: the plan asked for the "
    "medical record. The enclosed procedure note documents an L5-S1 disc herniation "
    "with right S1 radiculopathy (M51.17) and eight weeks of physical therapy without "
    "relief, which meets the plan's policy DEMO-PPO-001 for transforaminal epidural "
    "steroid injection. Please reprocess line 1 and pay it under the policy."
)


def load_demo_billing_work() -> bool:
    """Give the demo learner a sent claim, its denial worked and an appeal sent,
    once; False when there is nothing to do (done before, or no demo learner or
    scenario)."""
    try:
        learner = demo_user(Role.LEARNER)
    except get_user_model().DoesNotExist:
        return False
    page = BillingScenarioPage.objects.live().filter(slug=DEMO_SCENARIO).first()
    if page is None or BillingAttempt.objects.filter(learner=learner).exists():
        return False
    attempt = services.attempt_start(learner=learner, page=page)
    claim = parse_claim_key(page.claim_key).claim
    services.attempt_submit(attempt=attempt, claim=claim)
    attempt.refresh_from_db()
    line, denial = services.remittance_of(attempt).denials()[0]
    work = services.denial_work(
        attempt=attempt,
        line_number=line,
        category=denial.category,
        action=denial.action,
    )
    letter = DEMO_LETTER.format(
        account=claim.patient_control_number,
        number=attempt.claim_number,
        service_date=claim.lines[0].service_date,
    )
    services.appeal_submit(work=work, letter=letter)
    return True
