"""An author's key problems name their place as the author counts ("Service line
1 → pointer 2"), never as the engine's field paths ("service_lines[0].pointers[1]"),
in the case editor and in a bundle import alike."""

import copy
import re

import pytest
from django.urls import reverse

from case_studies.models import CaseStudyPage
from tests.case_studies.conftest import bundle
from tests.case_studies.test_bundles import errors_of
from tests.case_studies.test_review import case_form

pytestmark = pytest.mark.django_db

OFFICE = "test-office-diabetes"
ENGINE_PATH = re.compile(r"\w+\[\d+\]")


def test_the_case_editor_names_places_as_an_author_counts(cases, instructor_client):
    case = CaseStudyPage.objects.get(slug=OFFICE)
    key = case.answer_key
    diagnoses = [block for block in key if block.block_type == "diagnosis"]
    service_line = next(block for block in key if block.block_type == "service_line")
    diagnoses[1].value["code"] = diagnoses[0].value["code"]
    service_line.value["pointers"] = "1, 9"
    case.answer_key = key
    data = case_form(case, rationale="Same rationale.")
    edit = reverse("wagtailadmin_pages:edit", args=[case.pk])

    response = instructor_client.post(edit, data)

    assert response.status_code == 200
    messages = response.context["form"].errors["answer_key"]
    assert "Service line 1 → pointer 2: points to diagnosis 9" in " ".join(messages)
    assert (
        "Diagnosis 2 → code: E11.65 is already listed at diagnosis 1 → code"
        in " ".join(messages)
    )
    assert not ENGINE_PATH.search(" ".join(messages))


def test_a_bundle_names_places_in_the_key_as_an_author_counts(code_sets, tmp_path):
    data = copy.deepcopy(bundle("outpatient.json"))
    key = data["cases"][0]["key"]
    key["diagnoses"][1]["code"] = key["diagnoses"][0]["code"]
    errors = errors_of(data, tmp_path)
    assert errors == [
        f"bad.json: case 1 ({OFFICE}) → key → diagnosis 2 → code: "
        "E11.65 is already listed at diagnosis 1 → code"
    ]
