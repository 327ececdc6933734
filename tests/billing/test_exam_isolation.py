"""While a learner sits an exam that tests a case, billing work built on that
case is refused, and its graded feedback (whose key holds the case's codes) is
withheld through the API as on the pages."""

import pytest
from django.urls import reverse

from billing import services
from billing.engine.claim import Claim
from billing.models import BillingScenarioPage
from case_studies.models import CaseStudyPage
from certifications.models import Certification
from exams.models import Blueprint, BlueprintQuestion, Question
from exams.visibility import CASE_TESTED_NOW

pytestmark = pytest.mark.usefixtures("billing_world")

CASE = "transforaminal-epidural-injection-l5-s1"


@pytest.fixture
def exam_on_the_case() -> Blueprint:
    cca = Certification.objects.get(slug="cca")
    blueprint = Blueprint.objects.create(
        slug="on-the-epidural-case",
        name="An exam built on the epidural case",
        certification=cca,
        time_limit_seconds=3600,
    )
    question = Question.objects.create(
        slug="epidural-item",
        kind="coding",
        certification=cca,
        stem="<p>Code this encounter.</p>",
        case_slug=CASE,
        key=CaseStudyPage.objects.get(slug=CASE).key_data,
    )
    question.domains.add(cca.domains.first())
    BlueprintQuestion.objects.create(blueprint=blueprint, question=question)
    return blueprint


def test_billing_work_on_a_case_under_exam_is_refused_and_its_grade_withheld(
    learner_client, learner, right_claim, exam_on_the_case
):
    page = BillingScenarioPage.objects.get(slug="test-epidural-claim")
    attempt = services.attempt_start(learner=learner, page=page)
    services.attempt_submit(attempt=attempt, claim=Claim.model_validate(right_claim))
    attempt.refresh_from_db()
    row = f"/api/grading/responses/{attempt.graded_claim_id}"
    assert learner_client.get(row).json()["result"]

    started = learner_client.post(f"/api/exams/{exam_on_the_case.slug}/attempts")
    assert started.status_code == 200

    shown = learner_client.get(row).json()
    assert shown["result"] is None
    assert shown["withheld_reason"] == CASE_TESTED_NOW
    response = learner_client.get(attempt.get_absolute_url())
    assert response.status_code == 403
    assert CASE_TESTED_NOW in response.content.decode()
    scenario = reverse("billing:scenario", args=["test-epidural-claim"])
    assert learner_client.get(scenario).status_code == 403
