"""An author's weight overrides on a case key: set in the admin or a bundle,
checked against the scoring table, and applied when the case is graded."""

import copy

import pytest
from django.urls import reverse

from case_studies.bundles import bundle_import, case_to_dict
from case_studies.models import CaseStudyPage
from core.imports import ImportRefused
from grading.engine.policy import UNKNOWN_ROW
from tests.case_studies.test_review import case_form

from .conftest import bundle

pytestmark = pytest.mark.django_db

OFFICE = "test-office-diabetes"
# E78.00 is not in the key: one extra line.
WITH_AN_EXTRA_LINE = {
    "dx-0-code": "E11.65",
    "dx-1-code": "E78.5",
    "dx-2-code": "E78.00",
    "svc-0-code": "99214",
    "svc-0-pointers": "1, 2",
}


def _extra_line_points(client) -> float:
    url = reverse("case_studies:practice", args=[OFFICE])
    attempt = client.get(url).context["attempt"]
    client.post(url, {"attempt": attempt.pk, **WITH_AN_EXTRA_LINE})
    attempt.refresh_from_db()
    lines = attempt.graded_response.result["lines"]
    return next(line["points"] for line in lines if line["status"] == "extra")


def test_a_weight_override_changes_the_score_of_a_practice_attempt(
    learner_client, cases
):
    assert _extra_line_points(learner_client) == -0.5
    CaseStudyPage.objects.filter(slug=OFFICE).update(key_weights={"extra_line": 1.0})
    assert _extra_line_points(learner_client) == -1.0


def test_an_unknown_row_is_an_error_on_the_overrides_field(cases, instructor_client):
    case = CaseStudyPage.objects.get(slug=OFFICE)
    data = case_form(case, rationale="Same rationale.")
    data["key_weights"] = '{"no_such_row": 1.0}'
    edit = reverse("wagtailadmin_pages:edit", args=[case.pk])
    response = instructor_client.post(edit, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["key_weights"] == [f"Weights → no_such_row: {UNKNOWN_ROW}"]
    assert "answer_key" not in errors


def test_an_emptied_overrides_field_saves_as_no_overrides(cases, instructor_client):
    CaseStudyPage.objects.filter(slug=OFFICE).update(key_weights={"extra_line": 1.0})
    case = CaseStudyPage.objects.get(slug=OFFICE)
    data = case_form(case, rationale="Same rationale.")
    data["key_weights"] = ""
    edit = reverse("wagtailadmin_pages:edit", args=[case.pk])
    assert instructor_client.post(edit, data).status_code == 302
    draft = CaseStudyPage.objects.get(pk=case.pk).get_latest_revision_as_object()
    assert draft.key_weights == {}


def test_a_bundle_carries_weight_overrides_both_ways(cases):
    data = copy.deepcopy(bundle("outpatient.json"))
    data["cases"][0]["key"]["weights"] = {"modifier_payment": 1.0}
    report = bundle_import(data)
    assert report.updated == [OFFICE]
    case = CaseStudyPage.objects.get(slug=OFFICE)
    assert case.key_weights == {"modifier_payment": 1.0}
    assert case_to_dict(case)["key"]["weights"] == {"modifier_payment": 1.0}


def test_an_unknown_row_in_a_bundle_names_the_case_and_path(cases):
    data = copy.deepcopy(bundle("outpatient.json"))
    data["cases"][0]["key"]["weights"] = {"no_such_row": 1.0}
    with pytest.raises(ImportRefused) as raised:
        bundle_import(data)
    assert [str(problem) for problem in raised.value.problems] == [
        f"bundle: case 1 ({OFFICE}) → key → weights → no_such_row: {UNKNOWN_ROW}"
    ]
