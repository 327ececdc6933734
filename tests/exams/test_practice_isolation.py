"""Exams never lead into practice: a coding item built on a case shows the case's
record on the exam page, and while a learner sits an exam that tests a case, that
case cannot be practised and its feedback (with the key) is hidden, on the pages
and through the API.

Issue #12, finding 5: the exam page linked to the case's practice page, where
submitting showed the key during the exam.
"""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from case_studies.bundles import bundle_import
from case_studies.models import CaseAttempt, CaseStudyPage
from certifications.models import Certification
from exams.models import Blueprint, BlueprintQuestion, Question
from exams.services import attempt_grade
from exams.visibility import CASE_TESTED_NOW
from grading.models import GradedResponse
from tests.case_studies.conftest import bundle, load_small_code_sets

pytestmark = pytest.mark.django_db

CASE = "test-office-diabetes"
# What the learner codes in practice: a near miss, so the feedback names the key.
PRACTICE_ANSWER = {"dx-0-code": "E11.69"}
KEY_CODE = "E11.65"


@pytest.fixture
def case(db) -> CaseStudyPage:
    load_small_code_sets()
    bundle_import(bundle("outpatient.json"))
    return CaseStudyPage.objects.live().get(slug=CASE)


@pytest.fixture
def blueprint(case) -> Blueprint:
    cpc = Certification.objects.get(slug="cpc")
    blueprint = Blueprint.objects.create(
        slug="built-on-a-case",
        name="An exam built on a case",
        certification=cpc,
        time_limit_seconds=3600,
    )
    question = Question.objects.create(
        slug="case-item",
        kind="coding",
        certification=cpc,
        stem="<p>Code this encounter.</p>",
        case_slug=CASE,
        key=case.key_data,
    )
    question.domains.add(cpc.domains.first())
    question.save()
    BlueprintQuestion.objects.create(blueprint=blueprint, question=question)
    return blueprint


def practise(client, slug=CASE):
    url = reverse("case_studies:practice", args=[slug])
    attempt = client.get(url).context["attempt"]
    return client.post(url, {"attempt": attempt.pk, **PRACTICE_ANSWER})


def start_exam(client, blueprint) -> int:
    response = client.post(f"/api/exams/{blueprint.slug}/attempts")
    assert response.status_code == 200, response.content
    return response.json()["id"]


def test_the_exam_page_shows_the_record_and_no_practice_link(
    learner_client, blueprint, case
):
    attempt_id = start_exam(learner_client, blueprint)
    page = learner_client.get(reverse("exams:question", args=[attempt_id, 1]))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("case_studies:practice", args=[CASE]) not in html
    assert 'id="documentation-heading"' in html
    assert KEY_CODE not in html


def test_a_case_under_exam_cannot_be_practised_on_the_page(
    learner_client, blueprint, case
):
    start_exam(learner_client, blueprint)
    url = reverse("case_studies:practice", args=[CASE])
    page = learner_client.get(url)
    assert page.status_code == 403
    assert CASE_TESTED_NOW in page.content.decode()
    posted = learner_client.post(url, {"attempt": "1", **PRACTICE_ANSWER})
    assert posted.status_code == 403 and KEY_CODE not in posted.content.decode()
    assert not CaseAttempt.objects.filter(submitted_at__isnull=False).exists()


def test_a_case_under_exam_cannot_be_practised_through_the_api(
    learner_client, blueprint, case
):
    start_exam(learner_client, blueprint)
    answer = {"response": {"diagnoses": [{"code": "E11.69"}]}}
    response = learner_client.post(
        f"/api/cases/{case.pk}/attempts",
        json.dumps(answer),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == CASE_TESTED_NOW
    assert not GradedResponse.objects.exists()


def test_earlier_feedback_on_the_case_is_hidden_during_the_exam(
    learner_client, blueprint, case
):
    feedback_url = practise(learner_client).url
    attempt = CaseAttempt.objects.get(submitted_at__isnull=False)
    assert KEY_CODE in learner_client.get(feedback_url).content.decode()
    exam_id = start_exam(learner_client, blueprint)
    urls = [
        feedback_url,
        f"/api/cases/attempts/{attempt.pk}",
        f"/api/grading/responses/{attempt.graded_response_id}",
        "/api/grading/responses",
        reverse("privacy:export"),
    ]
    for url in urls:
        body = learner_client.get(url).content.decode()
        assert KEY_CODE not in body and "E1165" not in body, url
    api = learner_client.get(f"/api/cases/attempts/{attempt.pk}").json()
    assert api["result"] is None and api["withheld_reason"] == CASE_TESTED_NOW
    assert CASE_TESTED_NOW in learner_client.get(feedback_url).content.decode()
    learner_client.post(f"/api/exams/attempts/{exam_id}/submit")
    attempt_grade(attempt_id=exam_id)
    assert KEY_CODE in learner_client.get(feedback_url).content.decode()
    assert practise(learner_client).status_code == 302


def test_another_learner_still_practises_the_case(
    learner_client, other_learner, blueprint, case
):
    start_exam(learner_client, blueprint)
    other = Client()
    other.force_login(other_learner)
    response = practise(other)
    assert response.status_code == 302
    assert KEY_CODE in other.get(response.url).content.decode()
    assert learner_client.get(response.url).status_code == 404


def test_the_exam_template_never_links_to_practice():
    template = Path(__file__).parents[2] / "exams/templates/exams/question.html"
    assert "case_studies:practice" not in template.read_text()


def test_every_demo_exam_item_on_a_case_names_a_demo_case(db):
    """The exam page shows a case's record from the case itself, so a demo item
    built on a case must name a case the demo loads."""
    call_command("load_demo_exams", stdout=None)
    slugs = set(Question.objects.exclude(case_slug="").values_list("case_slug"))
    demo = Path(__file__).parents[2] / "case_studies/demo"
    demo_cases = {
        case["slug"]
        for path in demo.glob("**/*.json")
        for case in json.loads(path.read_text()).get("cases", [])
    }
    assert demo_cases
    assert {slug for (slug,) in slugs} <= demo_cases
