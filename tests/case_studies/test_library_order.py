"""The case library lists titles as a reader sorts them, whatever their case or
accents, sorted by the database."""

import copy

import pytest
from django.urls import reverse

from case_studies.bundles import bundle_import
from tests.case_studies.conftest import bundle

pytestmark = pytest.mark.django_db

TITLES = [
    "asthma follow-up",
    "Carboplatin infusion",
    "COPD exacerbation",
    "Éclampsia watch",
    "Elbow fracture",
    "fever in a toddler",
]


@pytest.fixture
def titled_cases(code_sets):
    data = bundle("outpatient.json")
    template = data["cases"][0]
    data["cases"] = []
    for number, title in enumerate(reversed(TITLES)):
        case = copy.deepcopy(template)
        case["slug"], case["title"] = f"order-{number}", title
        data["cases"].append(case)
    bundle_import(data)


def test_titles_sort_without_regard_to_case_or_accents(learner_client, titled_cases):
    page = learner_client.get(reverse("case_studies:library"))
    assert [entry.case.title for entry in page.context["entries"]] == TITLES
    body = page.content.decode()
    positions = [body.index(f">{title}</a>") for title in TITLES]
    assert positions == sorted(positions)
