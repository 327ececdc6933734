"""The feedback page a learner reads after submitting a case: section headings,
each message once, and codes beside their descriptions (never CPT's)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from codeformats import CodeSystem
from codesets.factories import ReleaseFactory
from tests.case_studies.conftest import CODE_ROWS
from tests.case_studies.test_practice import OFFICE, open_attempt, submit

pytestmark = pytest.mark.django_db

HCPCS_DESCRIPTION = "Test injection of a drug, per 1 mg"


def description(code: str) -> str:
    return next(row[4] for row in CODE_ROWS if row[1] == code)


def feedback_of(client, **fields) -> str:
    attempt = open_attempt(client, OFFICE)
    response = submit(client, OFFICE, attempt, **fields)
    assert response.status_code == 302
    return client.get(response.url).content.decode()


def test_section_headings_are_plural_words(learner_client, cases):
    page = feedback_of(learner_client, **{"dx-0-code": "E11.65", "svc-0-code": "99214"})
    assert ">Diagnoses</h2>" in page and ">Service lines</h2>" in page
    assert "Diagnosiss" not in page


def test_an_invalid_code_is_explained_once(learner_client, cases):
    page = feedback_of(learner_client, **{"dx-0-code": "E11.6"})
    assert page.count("E11.6 is a category header") == 1


def test_codes_are_shown_with_their_descriptions_but_cpt_without(learner_client, cases):
    ReleaseFactory(
        system=CodeSystem.HCPCS,
        codes=[{"code": "J1100", "description": HCPCS_DESCRIPTION}],
    )
    page = feedback_of(
        learner_client,
        **{
            "dx-0-code": "E11.9",
            "svc-0-code": "99214",
            "svc-0-pointers": "1",
            "svc-1-code": "J1100",
            "svc-1-pointers": "1",
        },
    )
    # The learner's code and the key's, each with the code set's description.
    assert description("E119") in page
    assert description("E1165") in page
    assert description("E785") in page
    assert HCPCS_DESCRIPTION in page
    # CPT descriptors are the AMA's: the code alone, even where a list has one.
    assert "<code>99214</code>" in page
    assert description("99214") not in page


def test_descriptions_cost_no_query_per_line(learner_client, cases):
    one = feedback_of(learner_client, **{"dx-0-code": "E11.65"})
    assert description("E1165") in one

    def queries(fields):
        attempt = open_attempt(learner_client, OFFICE)
        url = submit(learner_client, OFFICE, attempt, **fields).url
        with CaptureQueriesContext(connection) as captured:
            learner_client.get(url)
        return len(captured)

    few = queries({"dx-0-code": "E11.65"})
    many = queries(
        {
            "dx-0-code": "E11.65",
            "dx-1-code": "E78.5",
            "dx-2-code": "E87.6",
            "dx-3-code": "E11.69",
            "svc-0-code": "99214",
            "svc-1-code": "99213",
        }
    )
    assert many == few
