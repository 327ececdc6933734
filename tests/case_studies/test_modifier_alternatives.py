"""A case key's service line that accepts another set of modifiers: carried by
bundles and the key blocks, graded as exact on the practice page with its
reason, and refused without a reason."""

import copy

import pytest
from django.urls import reverse

from case_studies.bundles import bundle_import, case_to_dict
from case_studies.models import CaseStudyPage
from core.imports import ImportRefused
from grading.engine.schema import REASON_REQUIRED

from .conftest import bundle

pytestmark = pytest.mark.django_db

OFFICE = "test-office-diabetes"
REASON = "TESTKEY-REASON the payer accepts 95 for this visit held by video."
ALTERNATIVE = {"modifiers": ["95"], "reason": REASON}


def _with_alternative(alternative: dict) -> dict:
    data = copy.deepcopy(bundle("outpatient.json"))
    data["cases"][0]["key"]["service_lines"][0]["modifier_alternatives"] = [alternative]
    return data


@pytest.fixture
def case(cases):
    bundle_import(_with_alternative(ALTERNATIVE))
    return CaseStudyPage.objects.get(slug=OFFICE)


def test_the_alternative_set_is_graded_exact_with_its_reason(learner_client, case):
    url = reverse("case_studies:practice", args=[OFFICE])
    attempt = learner_client.get(url).context["attempt"]
    response = learner_client.post(
        url,
        {
            "attempt": attempt.pk,
            "dx-0-code": "E11.65",
            "dx-1-code": "E78.5",
            "svc-0-code": "99214",
            "svc-0-modifiers": "95",
            "svc-0-pointers": "1, 2",
        },
        follow=True,
    )
    attempt.refresh_from_db()
    graded = attempt.graded_response
    assert graded.points == graded.max_points
    note = f"-95 accepted in place of no modifier: {REASON}"
    service = next(
        line for line in graded.result["lines"] if line["section"] == "service_lines"
    )
    assert service["status"] == "exact"
    assert service["explanations"] == [note]
    assert note in response.content.decode()


def test_a_bundle_and_the_key_blocks_keep_the_alternative(case):
    (line,) = case_to_dict(case)["key"]["service_lines"]
    assert line["modifier_alternatives"] == [ALTERNATIVE]
    assert case.answer_key[-1].value["modifier_alternatives"][0]["modifiers"] == "95"


def test_an_alternative_without_a_reason_names_its_path(cases):
    with pytest.raises(ImportRefused) as raised:
        bundle_import(_with_alternative({"modifiers": ["95"], "reason": ""}))
    path = "key → service line 1 → modifier alternative 1 → reason"
    assert [str(problem) for problem in raised.value.problems] == [
        f"bundle: case 1 ({OFFICE}) → {path}: {REASON_REQUIRED}"
    ]
