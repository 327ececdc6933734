"""The grading API: trying a key (instructors only), policies, and each user's own
ledger rows."""

import json

import pytest
from django.test import Client

from grading import api
from grading.factories import GradedResponseFactory
from grading.selectors import UNKNOWN_POLICY
from grading.services import MAX_DOCUMENT_BYTES
from tests.grading.bad_inputs import CASES
from tests.grading.conftest import document
from tests.support.accounts import log_in_with_two_factor

pytestmark = pytest.mark.django_db

TRY = "/api/grading/try"
EXAMPLE = {
    "key": document("outpatient-key"),
    "response": document("outpatient-response"),
}


def post(client, body, **extra):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(TRY, data, content_type="application/json", **extra)


def test_an_instructor_grades_the_documented_example(instructor_client, code_sample):
    reply = post(instructor_client, EXAMPLE)
    assert reply.status_code == 200
    result = reply.json()
    assert (result["policy"], result["points"], result["max_points"]) == (
        "practice",
        4.25,
        8.0,
    )
    assert result["counts"]["invalid"] == 1
    assert result["lines"][0]["given_code"] == "M17.9"
    invalid = next(line for line in result["lines"] if line["status"] == "invalid")
    assert invalid["points"] == -0.5
    assert [item["rule"] for item in invalid["deductions"]] == ["extra_line"]
    assert sum(line["points"] for line in result["lines"]) == result["points"]
    assert result["summary"].startswith("4.25 of 8 points")


def test_the_exam_policy_can_be_chosen(instructor_client, code_sample):
    reply = post(instructor_client, {**EXAMPLE, "policy": "exam"})
    assert reply.json()["policy"] == "exam" and reply.json()["points"] == 0.0


def test_an_administrator_may_try_keys(client, administrator, code_sample):
    log_in_with_two_factor(client, administrator)
    assert post(client, EXAMPLE).status_code == 200


def test_a_learner_is_refused_with_a_message(learner_client):
    reply = post(learner_client, EXAMPLE)
    assert reply.status_code == 403
    assert reply.json() == {"detail": api.INSTRUCTORS_ONLY}


def test_an_anonymous_user_must_log_in(client):
    assert post(client, EXAMPLE).status_code == 401


def test_a_post_without_a_csrf_token_is_refused(instructor):
    client = Client(enforce_csrf_checks=True)
    log_in_with_two_factor(client, instructor)
    reply = post(client, EXAMPLE)
    assert reply.status_code == 403
    assert "CSRF" in reply.json()["detail"]


@pytest.mark.parametrize(("name", "key", "response", "field", "message"), CASES)
def test_schema_errors_are_422_naming_the_field(
    instructor_client, name, key, response, field, message
):
    reply = post(instructor_client, {"key": key, "response": response})
    assert reply.status_code == 422
    body = reply.json()
    assert body["detail"] == api.NOT_GRADED
    assert {"field": field, "message": message} in body["errors"]


def test_a_missing_key_is_named(instructor_client):
    reply = post(instructor_client, {"response": EXAMPLE["response"]})
    assert reply.status_code == 422
    assert reply.json()["errors"] == [{"field": "key", "message": "must be an object"}]


def test_an_unknown_policy_is_named(instructor_client):
    reply = post(instructor_client, {**EXAMPLE, "policy": "lenient"})
    assert reply.status_code == 422
    message = UNKNOWN_POLICY.format(name="lenient", choices="practice, exam, strict")
    assert reply.json()["errors"] == [{"field": "policy", "message": message}]


def test_a_megabyte_body_is_413(instructor_client):
    huge = {**EXAMPLE, "response": {"diagnoses": [{"code": "E11.9" * 200_000}]}}
    reply = post(instructor_client, huge)
    assert reply.status_code == 413
    assert reply.json() == {
        "detail": api.BODY_TOO_LARGE.format(limit=MAX_DOCUMENT_BYTES // 1024)
    }


def test_invalid_json_is_a_400_not_a_500(instructor_client):
    assert post(instructor_client, '{"key": ').status_code == 400
    assert post(instructor_client, "[" * 100_000).status_code == 400


def test_policies_lists_the_built_in_ones(learner_client):
    reply = learner_client.get("/api/grading/policies")
    assert reply.status_code == 200
    by_name = {policy["name"]: policy for policy in reply.json()}
    assert by_name["practice"]["built_in"] and by_name["practice"]["floor_at_zero"]
    assert (
        by_name["exam"]["all_or_nothing"] and by_name["exam"]["extra_line_penalty"] == 0
    )


def test_a_learner_lists_their_own_responses_newest_first(
    learner_client, learner, other_learner
):
    older = GradedResponseFactory(learner=learner, attempt_ref="a")
    newer = GradedResponseFactory(learner=learner, attempt_ref="b", points=2.0)
    GradedResponseFactory(learner=other_learner, attempt_ref="c")
    reply = learner_client.get("/api/grading/responses")
    assert reply.status_code == 200
    body = reply.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["items"]] == [newer.pk, older.pk]
    first = body["items"][0]
    assert first["domains"] == ["cpc-surgery-20000"] and first["percentage"] == 50.0
    assert "result" not in first


def test_responses_are_paginated(learner_client, learner):
    for index in range(25):
        GradedResponseFactory(learner=learner, attempt_ref=f"attempt-{index}")
    first = learner_client.get("/api/grading/responses").json()
    second = learner_client.get("/api/grading/responses?page=2").json()
    assert first["count"] == 25
    assert (len(first["items"]), len(second["items"])) == (20, 5)


def test_a_learner_reads_one_of_their_responses_with_feedback(learner_client, learner):
    row = GradedResponseFactory(learner=learner)
    reply = learner_client.get(f"/api/grading/responses/{row.pk}")
    assert reply.status_code == 200
    assert reply.json()["result"]["points"] == 1.0
    assert reply.json()["response"] == {"diagnoses": [{"code": "M17.11"}]}


def test_another_learners_response_is_404(learner_client, other_learner):
    row = GradedResponseFactory(learner=other_learner)
    assert learner_client.get(f"/api/grading/responses/{row.pk}").status_code == 404


def test_the_ledger_needs_a_login(client):
    assert client.get("/api/grading/responses").status_code == 401


def test_openapi_documents_the_grading_endpoints(learner_client):
    schema = learner_client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {
        "/api/grading/try",
        "/api/grading/policies",
        "/api/grading/responses",
    } <= set(paths)
    assert "422" in paths["/api/grading/try"]["post"]["responses"]
    assert "InputErrorOut" in schema["components"]["schemas"]
