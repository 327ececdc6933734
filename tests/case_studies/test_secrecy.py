"""The answer key never reaches a learner before submitting: not in the practice
page, the page URL, the API, Wagtail's page API, the site search or previews."""

import pytest
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.django_db

SECRETS = ("TESTKEY", "E11.65", "E78.5", "99214", "I.C.4.a")


def assert_no_key(body: str):
    for secret in SECRETS:
        assert secret not in body


def test_practice_page_has_no_key(learner_client, cases):
    page = learner_client.get(
        reverse("case_studies:practice", args=["test-office-diabetes"])
    )
    body = page.content.decode()
    assert "Follow-up of blood sugar" in body
    assert_no_key(body)


def test_wagtail_page_url_leads_to_practice(learner_client, cases):
    response = learner_client.get("/cases/test-office-diabetes/", follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "case_studies:practice", args=["test-office-diabetes"]
    )
    assert_no_key(response.content.decode())


def test_wagtail_page_api_is_not_installed(learner_client, cases):
    assert learner_client.get("/api/v2/pages/").status_code == 404


def test_search_does_not_index_the_key(cases):
    assert not Page.objects.live().search("TESTKEY-RATIONALE").results()
    assert not Page.objects.live().search("hyperglycemia").results()


def test_preview_shows_documentation_not_key(cases):
    case = cases["test-office-diabetes"]
    response = case.make_preview_request()
    body = response.rendered_content
    assert "Follow-up of blood sugar" in body
    assert_no_key(body)


def test_feedback_reveals_key_only_after_submitting(learner_client, cases):
    url = reverse("case_studies:practice", args=["test-office-diabetes"])
    attempt = learner_client.get(url).context["attempt"]
    feedback_url = reverse("case_studies:attempt", args=[attempt.pk])
    assert learner_client.get(feedback_url).status_code == 404
    learner_client.post(url, {"attempt": attempt.pk, "dx-0-code": "E11.9"})
    assert "TESTKEY-RATIONALE" in learner_client.get(feedback_url).content.decode()
