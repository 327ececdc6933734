"""The cases API: published cases without keys, submitting, own attempts only."""

import json

import pytest

from case_studies.services import EMPTY_RESPONSE

pytestmark = pytest.mark.django_db

RESPONSE = {
    "diagnoses": [{"code": "E11.65"}, {"code": "E78.5"}],
    # Pointing only to the second diagnosis leaves out the first one the E/M is
    # for: a pointer mistake, so the line is partial.
    "service_lines": [{"code": "99214", "pointers": [2]}],
}


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_list_and_detail_have_no_key(learner_client, cases):
    listing = learner_client.get("/api/cases/")
    assert listing.status_code == 200
    slugs = {case["slug"] for case in listing.json()["cases"]}
    assert slugs == {"test-office-diabetes", "test-inpatient-dka"}
    case_id = cases["test-office-diabetes"].pk
    detail = learner_client.get(f"/api/cases/{case_id}")
    assert detail.status_code == 200
    assert detail.json()["documentation"][0]["type"] == "encounter_note"
    for body in (listing.content.decode(), detail.content.decode()):
        assert "TESTKEY" not in body and "E11.65" not in body and '"key"' not in body


def test_api_needs_login(client, cases):
    assert client.get("/api/cases/").status_code == 401


def test_unknown_case_is_404(learner_client, cases):
    assert learner_client.get("/api/cases/999999").status_code == 404


def test_submit_and_read_own_attempt(learner_client, client, other_learner, cases):
    case_id = cases["test-office-diabetes"].pk
    submitted = post(
        learner_client, f"/api/cases/{case_id}/attempts", {"response": RESPONSE}
    )
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["result"]["counts"]["partial"] == 1
    attempt_url = f"/api/cases/attempts/{body['id']}"
    assert learner_client.get(attempt_url).json()["id"] == body["id"]
    client.force_login(other_learner)
    assert client.get(attempt_url).status_code == 404


def test_bad_submissions_are_400(learner_client, cases):
    url = f"/api/cases/{cases['test-office-diabetes'].pk}/attempts"
    empty = post(learner_client, url, {"response": {"diagnoses": []}})
    assert empty.status_code == 400 and empty.json()["detail"] == EMPTY_RESPONSE
    broken = post(learner_client, url, {"response": {"diagnoses": [{"code": 5}]}})
    assert broken.status_code == 400 and "diagnoses[0].code" in broken.json()["detail"]
