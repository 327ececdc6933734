"""Garbage in every dispute form and URL gives a 4xx with a message, never a
500, and changes nothing."""

import pytest
from django.urls import reverse

from core.input_guards import NUL_IN_REQUEST
from disputes.forms import RulingForm
from disputes.models import Dispute
from tests.disputes.test_disputes import FIRST_DIAGNOSIS, REASON, dispute, new_url

pytestmark = pytest.mark.django_db

HUGE_ID = "9" * 30
NUL = "bad\x00input"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?response=",
        f"?response={HUGE_ID}&line=item",
        "?response=-1&line=item",
        "?response=1e3&line=item",
    ],
)
def test_an_unknown_response_is_404(case_response, learner_browser, query):
    for send in (learner_browser.get, learner_browser.post):
        response = send(reverse("disputes:new") + query, {"reason": REASON})
        assert response.status_code == 404
    assert not Dispute.objects.exists()


@pytest.mark.parametrize("line", ["", "diagnoses", "x" * 5000, "diagnoses.key.-1"])
def test_an_unknown_line_is_404(case_response, learner_browser, line):
    response = dispute(learner_browser, case_response.pk, line=line)
    assert response.status_code == 404
    assert not Dispute.objects.exists()


@pytest.mark.parametrize(
    "data, fields",
    [
        ({}, {"reason", "citation"}),
        ({"reason": "   ", "citation": "I.C.4.a"}, {"reason"}),
        ({"reason": REASON, "citation": "x" * 301}, {"citation"}),
    ],
)
def test_garbage_in_the_dispute_form_is_a_field_error(
    case_response, learner_browser, data, fields
):
    response = learner_browser.post(new_url(case_response.pk, FIRST_DIAGNOSIS), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == fields
    for field in fields:
        assert errors[field][0] in response.content.decode()
    assert not Dispute.objects.exists()


@pytest.mark.parametrize(
    "data", [{}, {"decision": "both"}, {"decision": RulingForm.REJECT}]
)
def test_garbage_in_the_ruling_form_is_a_field_error(
    case_response, learner_browser, instructor_browser, data
):
    dispute(learner_browser, case_response.pk)
    row = Dispute.objects.get()
    response = instructor_browser.post(reverse("disputes:ruling", args=[row.pk]), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors and list(errors.values())[0][0] in response.content.decode()
    row.refresh_from_db()
    assert row.status == Dispute.Status.OPEN


def test_a_nul_anywhere_is_refused_with_a_message(
    case_response, learner_browser, instructor_browser
):
    for query, line, fields in (
        (f"{case_response.pk}%00", FIRST_DIAGNOSIS, {}),
        (case_response.pk, NUL, {}),
        (case_response.pk, FIRST_DIAGNOSIS, {"reason": NUL}),
        (case_response.pk, FIRST_DIAGNOSIS, {"citation": NUL}),
    ):
        response = dispute(learner_browser, query, line=line, **fields)
        assert response.status_code == 400
        assert NUL_IN_REQUEST in response.content.decode()
    assert not Dispute.objects.exists()
    dispute(learner_browser, case_response.pk)
    row = Dispute.objects.get()
    ruling = reverse("disputes:ruling", args=[row.pk])
    for data in (
        {"decision": NUL},
        {"decision": RulingForm.REJECT, "explanation": NUL},
    ):
        response = instructor_browser.post(ruling, data)
        assert response.status_code == 400
        assert NUL_IN_REQUEST in response.content.decode()
    row.refresh_from_db()
    assert row.status == Dispute.Status.OPEN


def test_huge_ids_in_urls_are_404(learner_browser, instructor_browser):
    for client, path in (
        (instructor_browser, f"/disputes/{HUGE_ID}/"),
        (learner_browser, f"/notifications/{HUGE_ID}/"),
    ):
        assert client.get(path).status_code == 404
        assert client.post(path, {"decision": RulingForm.UPHOLD}).status_code == 404
