"""Trying a case again: from the previous answer (every line as submitted, in
order) or from a blank form, and never with anything of the key."""

import pytest
from django.urls import reverse

from tests.case_studies.test_practice import (
    INPATIENT,
    OFFICE,
    open_attempt,
    practice_url,
    submit,
)

pytestmark = pytest.mark.django_db


def value_of(page: str, name: str) -> str:
    marker = f'name="{name}" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def submitted(client, slug, **fields):
    attempt = open_attempt(client, slug)
    response = submit(client, slug, attempt, **fields)
    assert response.status_code == 302
    return attempt


def test_feedback_offers_the_previous_answer_or_a_blank_form(learner_client, cases):
    attempt = submitted(learner_client, OFFICE, **{"dx-0-code": "E11.9"})
    feedback = learner_client.get(reverse("case_studies:attempt", args=[attempt.pk]))
    page = feedback.content.decode()
    assert f'href="{practice_url(OFFICE)}?from={attempt.pk}"' in page
    assert f'href="{practice_url(OFFICE)}"' in page
    blank = learner_client.get(practice_url(OFFICE)).content.decode()
    assert value_of(blank, "dx-0-code") == ""
    assert f"?from={attempt.pk}" in blank


def test_the_previous_answer_fills_every_line_in_order(learner_client, cases):
    attempt = submitted(
        learner_client,
        OFFICE,
        **{
            "dx-0-code": "E78.5",
            "dx-2-code": "E11.9",
            "svc-0-code": "99214",
            "svc-0-modifiers": "25, 59",
            "svc-0-units": "2",
            "svc-0-pointers": "3, 1",
        },
    )
    page = learner_client.get(practice_url(OFFICE), {"from": attempt.pk})
    body = page.content.decode()
    assert value_of(body, "dx-0-code") == "E78.5"
    assert value_of(body, "dx-1-code") == "E11.9"
    assert value_of(body, "svc-0-code") == "99214"
    assert value_of(body, "svc-0-modifiers") == "25, 59"
    assert value_of(body, "svc-0-units") == "2"
    # The blank row between the diagnoses is gone, and the pointers follow them.
    assert value_of(body, "svc-0-pointers") == "2, 1"
    assert page.context["attempt"].pk != attempt.pk
    # Only the learner's own lines: nothing of the key.
    assert "E11.65" not in body and "TESTKEY" not in body


def test_an_inpatient_answer_keeps_poa_and_procedures(learner_client, cases):
    attempt = submitted(
        learner_client,
        INPATIENT,
        **{
            "dx-0-code": "E10.10",
            "dx-0-poa": "Y",
            "dx-1-code": "E87.6",
            "dx-1-poa": "n",
            "pcs-0-code": "0DTJ0ZZ",
        },
    )
    body = learner_client.get(
        practice_url(INPATIENT), {"from": attempt.pk}
    ).content.decode()
    assert value_of(body, "dx-0-poa") == "Y" and value_of(body, "dx-1-poa") == "N"
    assert value_of(body, "dx-1-code") == "E87.6"
    assert value_of(body, "pcs-0-code") == "0DTJ0ZZ"
    assert "0DTJ4ZZ" not in body


def test_only_ones_own_answer_at_that_case(
    learner_client, other_learner, client, cases
):
    attempt = submitted(learner_client, OFFICE, **{"dx-0-code": "E11.9"})
    other_case = learner_client.get(practice_url(INPATIENT), {"from": attempt.pk})
    assert other_case.status_code == 404
    unsubmitted = open_attempt(learner_client, OFFICE)
    not_yet = learner_client.get(practice_url(OFFICE), {"from": unsubmitted.pk})
    assert not_yet.status_code == 404
    client.force_login(other_learner)
    assert client.get(practice_url(OFFICE), {"from": attempt.pk}).status_code == 404
