"""The feedback page shows every deduction where it is taken, with its reason,
and a summary that explains the total; inpatient cases take POA indicators."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from case_studies import forms
from case_studies.bundles import bundle_import
from case_studies.models import CaseAttempt, CaseStudyPage
from grading.selectors import UNKNOWN_POLICY

from .conftest import bundle

pytestmark = pytest.mark.django_db

OFFICE = "test-office-diabetes"
POA_CASE = "test-inpatient-dka-poa"


def _submit(client, slug, **fields):
    url = reverse("case_studies:practice", args=[slug])
    attempt = client.get(url).context["attempt"]
    response = client.post(url, {"attempt": attempt.pk, **fields})
    return response, attempt


@pytest.fixture
def poa_case(cases):
    """The inpatient test case with POA indicators in its key."""
    data = copy.deepcopy(bundle("inpatient.json"))
    case = data["cases"][0]
    case["slug"] = POA_CASE
    case["title"] = "Test admission with POA indicators"
    case["key"]["diagnoses"][0]["poa"] = "Y"
    case["key"]["diagnoses"][1]["poa"] = "N"
    bundle_import(data)
    return CaseStudyPage.objects.get(slug=POA_CASE)


def test_an_extra_line_shows_its_deduction_and_the_lines_add_up(learner_client, cases):
    response, attempt = _submit(
        learner_client,
        OFFICE,
        **{
            "dx-0-code": "E11.65",
            "dx-1-code": "E78.5",
            "dx-2-code": "E78.00",
            "svc-0-code": "99214",
            "svc-0-pointers": "1, 2",
        },
    )
    attempt.refresh_from_db()
    result = attempt.graded_response.result
    extra = next(line for line in result["lines"] if line["status"] == "extra")
    assert extra["points"] == -0.5 and extra["max_points"] == 0
    assert extra["deductions"] == [
        {
            "rule": "extra_line",
            "points": 0.5,
            "reason": "Extra: E78.00 is not in the answer key.",
        }
    ]
    assert sum(line["points"] for line in result["lines"]) == result["points"]
    page = learner_client.get(response.url).content.decode()
    assert "-0.50 / 0.00" in page
    assert "−0.50</strong> Extra: E78.00 is not in the answer key." in page
    assert result["summary"] in page
    assert "extra line 0.5" in result["summary"]


def test_a_valid_subset_of_pointers_is_not_charged(learner_client, cases):
    _, attempt = _submit(
        learner_client,
        OFFICE,
        **{
            "dx-0-code": "E11.65",
            "dx-1-code": "E78.5",
            "svc-0-code": "99214",
            "svc-0-pointers": "1",
        },
    )
    attempt.refresh_from_db()
    assert attempt.graded_response.result["percentage"] == 100


def test_poa_indicators_are_read_graded_and_explained(learner_client, poa_case):
    response, attempt = _submit(
        learner_client,
        POA_CASE,
        **{
            "dx-0-code": "E10.10",
            "dx-0-poa": "y",
            "dx-1-code": "E87.6",
            "dx-1-poa": "Y",
            "pcs-0-code": "0DTJ4ZZ",
        },
    )
    attempt.refresh_from_db()
    assert attempt.response["diagnoses"] == [
        {"code": "E10.10", "poa": "Y"},
        {"code": "E87.6", "poa": "Y"},
    ]
    hypokalemia = attempt.graded_response.result["lines"][1]
    assert [item["rule"] for item in hypokalemia["deductions"]] == ["poa_wrong"]
    page = learner_client.get(response.url).content.decode()
    assert "POA indicator: the key has N, you gave Y." in page


def test_a_bad_poa_indicator_is_refused_with_its_row(learner_client, poa_case):
    response, attempt = _submit(
        learner_client, POA_CASE, **{"dx-0-code": "E10.10", "dx-0-poa": "X"}
    )
    assert response.status_code == 400
    assert forms.BAD_POA.format(number=1) in response.content.decode()
    assert not CaseAttempt.objects.get(pk=attempt.pk).submitted_at


def test_the_practice_form_offers_poa_only_inpatient(learner_client, poa_case):
    inpatient = learner_client.get(reverse("case_studies:practice", args=[POA_CASE]))
    office = learner_client.get(reverse("case_studies:practice", args=[OFFICE]))
    assert 'name="dx-0-poa"' in inpatient.content.decode()
    assert 'name="dx-0-poa"' not in office.content.decode()


def test_a_case_is_graded_under_its_own_policy(learner_client, cases):
    CaseStudyPage.objects.filter(slug=OFFICE).update(grading_policy="exam")
    _, attempt = _submit(
        learner_client,
        OFFICE,
        **{"dx-0-code": "E11.65", "svc-0-code": "99214", "svc-0-pointers": "1"},
    )
    attempt.refresh_from_db()
    assert attempt.graded_response.policy == "exam"
    assert attempt.graded_response.points == 0


def test_an_unknown_case_policy_is_refused_on_its_field(cases):
    case = CaseStudyPage.objects.get(slug=OFFICE)
    case.grading_policy = "lenient"
    with pytest.raises(ValidationError) as raised:
        case.clean()
    (message,) = raised.value.message_dict["grading_policy"]
    assert message == UNKNOWN_POLICY.format(
        name="lenient", choices="practice, exam, strict"
    )
