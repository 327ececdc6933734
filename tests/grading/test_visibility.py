"""What a learner sees of a graded exam answer follows the blueprint's review
policy on every endpoint of the API (walked from /api/openapi.json), on the
results page and in their data export, not only on the exam's own results.

Issue #12, finding 2: under `never` and `after_close`, GET
/api/grading/responses/{id} used to return the correct options, the key's codes,
rationales and points.
"""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certifications.models import Certification
from exams.models import Attempt, Blueprint, BlueprintQuestion, Question, ReviewPolicy
from exams.selectors import ledger_ref_prefix
from exams.services import attempt_grade
from exams.visibility import REVIEW_AFTER_CLOSE, REVIEW_NEVER, TESTED_NOW
from grading.models import GradedResponse
from grading.selectors import domain_accuracy_for

pytestmark = pytest.mark.django_db

API = "/api/exams"
# Strings only the key holds: rationales, the reference and the key's code.
SECRETS = ("SECRET-", "K35.80", "K3580")
# Keys whose presence with a value gives away the key or how an item scored.
KEY_FIELDS = {"correct", "correct_options", "rationale", "rationales"}
KEY_FIELDS |= {"expected_code", "key", "result", "review"}
SCORE_FIELDS = {"points", "max_points", "percent", "percentage", "scaled_score"}
SCORE_FIELDS |= {"passed", "status_counts"}
CODING_KEY = {
    "setting": "outpatient",
    "date_of_service": "2026-05-04",
    "diagnoses": [
        {
            "code": "K35.80",
            "rationale": "SECRET-CODING-RATIONALE",
            "reference": "SECRET-CODING-REFERENCE",
        }
    ],
    "procedures": [],
    "service_lines": [],
}


@pytest.fixture
def blueprint(db):
    cpc = Certification.objects.get(slug="cpc")
    domain = cpc.domains.first()
    blueprint = Blueprint.objects.create(
        slug="visibility",
        name="Visibility exam",
        certification=cpc,
        time_limit_seconds=3600,
        shuffle_options=False,
    )
    choice = Question.objects.create(
        slug="visibility-choice",
        kind="single",
        certification=cpc,
        stem="<p>Which one?</p>",
        reference="SECRET-CHOICE-REFERENCE",
    )
    for option_id, correct in (("a", False), ("b", True), ("c", False)):
        choice.options.create(
            option_id=option_id,
            text=f"Option {option_id}",
            correct=correct,
            rationale=f"SECRET-RATIONALE-{option_id}",
        )
    coding = Question.objects.create(
        slug="visibility-coding",
        kind="coding",
        certification=cpc,
        stem="<p>Code the diagnosis.</p>",
        scenario="<p>Fictional note: right lower quadrant pain.</p>",
        key=CODING_KEY,
    )
    for question in (choice, coding):
        question.domains.add(domain)
        question.save()  # commits the options and domains modelcluster holds
        BlueprintQuestion.objects.create(blueprint=blueprint, question=question)
    return blueprint


def sit_and_grade(client, blueprint) -> int:
    """Start, answer (one choice wrong, one code wrong), submit and grade."""
    state = client.post(f"{API}/{blueprint.slug}/attempts").json()
    url = f"{API}/attempts/{state['id']}"
    for item in state["items"]:
        answer = (
            {"options": ["a"]}
            if item["kind"] == "single"
            else {"diagnoses": [{"code": "R10.31"}]}
        )
        saved = client.put(
            f"{url}/answers/{item['position']}",
            json.dumps({"response": answer}),
            content_type="application/json",
        )
        assert saved.status_code == 200, saved.content
    assert client.post(f"{url}/submit").status_code == 200
    attempt_grade(attempt_id=state["id"])
    return state["id"]


def exam_score(path: tuple) -> bool:
    """An attempt's own score: the top of its results and its domain breakdown,
    or its `score` in the data export; "never" shows it (score only), unlike any
    item's."""
    if len(path) == 1 or path[0] == "domains":
        return True
    return path[0] == "exam_attempts" and path[2] == "score"


def leaks(body, *, score_allowed: bool, path=()) -> list[str]:
    """Where `body` (decoded JSON) shows the key or an item's score."""
    found = []
    if isinstance(body, dict):
        for name, value in body.items():
            here = (*path, name)
            if value not in (None, "", [], {}):
                if name in KEY_FIELDS:
                    found.append("/".join(map(str, here)))
                allowed = score_allowed and exam_score(here)
                if name in SCORE_FIELDS and not allowed:
                    found.append("/".join(map(str, here)))
            found += leaks(value, score_allowed=score_allowed, path=here)
    elif isinstance(body, list):
        for index, value in enumerate(body):
            found += leaks(value, score_allowed=score_allowed, path=(*path, index))
    elif isinstance(body, str):
        found += [f"{'/'.join(map(str, path))}: {s}" for s in SECRETS if s in body]
    return found


def learner_urls(client, learner) -> list[str]:
    """Every GET path of the OpenAPI schema, each path id filled with each of the
    learner's own objects, then the learner's pages that show results."""
    ids = [
        *Attempt.objects.filter(learner=learner).values_list("pk", flat=True),
        *GradedResponse.objects.filter(learner=learner).values_list("pk", flat=True),
    ]
    schema = client.get("/api/openapi.json").json()
    urls = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        fillings = [path]
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] != "path":
                continue
            name = "{" + parameter["name"] + "}"
            values = ids if parameter["name"].endswith("_id") else ["x"]
            fillings = [f.replace(name, str(v)) for f in fillings for v in values]
        urls += fillings
    attempts = Attempt.objects.filter(learner=learner)
    urls += [reverse("exams:results", args=[a.pk]) for a in attempts]
    urls.append(reverse("privacy:export"))
    return urls


def walk(client, learner, *, score_allowed=False) -> dict[str, str]:
    """Each URL the learner can read, with its body; asserts none leaks."""
    bodies = {}
    for url in learner_urls(client, learner):
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = response.content.decode()
        bodies[url] = text
        if response["Content-Type"].startswith("application/json"):
            found = leaks(json.loads(text), score_allowed=score_allowed)
        else:
            found = [s for s in SECRETS if s in text]
        assert not found, (url, found)
    return bodies


def assert_shown(client, learner, attempt_id):
    coding = GradedResponse.objects.get(
        learner=learner,
        item_title="visibility-coding",
        attempt_ref__startswith=ledger_ref_prefix(attempt_id),
    )
    detail = client.get(f"/api/grading/responses/{coding.pk}").json()
    assert detail["feedback_shown"] is True and detail["points"] is not None
    assert detail["result"]["lines"][0]["expected_code"] == "K35.80"
    assert "SECRET-CODING-RATIONALE" in json.dumps(detail)
    listed = client.get("/api/grading/responses").json()["items"]
    assert all(row["points"] is not None for row in listed)
    results = client.get(f"{API}/attempts/{attempt_id}/results").json()
    review = results["state"]["items"][0]["review"]
    assert review["correct_options"] == ["b"]
    page = client.get(reverse("exams:results", args=[attempt_id])).content.decode()
    assert "SECRET-RATIONALE-b" in page


def test_immediately_shows_the_review_everywhere(learner_client, learner, blueprint):
    attempt_id = sit_and_grade(learner_client, blueprint)
    assert_shown(learner_client, learner, attempt_id)


def test_never_shows_no_key_or_item_score_on_any_endpoint(
    learner_client, learner, blueprint
):
    Blueprint.objects.filter(pk=blueprint.pk).update(review_policy=ReviewPolicy.NEVER)
    attempt_id = sit_and_grade(learner_client, blueprint)
    bodies = walk(learner_client, learner, score_allowed=True)
    assert f"/api/grading/responses/{GradedResponse.objects.first().pk}" in bodies
    results = json.loads(bodies[f"{API}/attempts/{attempt_id}/results"])
    assert results["score_visible"] is True and results["points"] is not None
    row = learner_client.get("/api/grading/responses").json()["items"][0]
    assert row["feedback_shown"] is False
    assert row["withheld_reason"] == REVIEW_NEVER.format(exam=blueprint.name)
    assert domain_accuracy_for(learner) == []


def test_after_close_shows_nothing_until_the_close_then_everything(
    learner_client, learner, blueprint
):
    closes_at = timezone.now() + timedelta(days=1)
    Blueprint.objects.filter(pk=blueprint.pk).update(
        review_policy=ReviewPolicy.AFTER_CLOSE, closes_at=closes_at
    )
    attempt_id = sit_and_grade(learner_client, blueprint)
    bodies = walk(learner_client, learner)
    assert any(url.startswith("/api/grading/responses/") for url in bodies)
    row = learner_client.get("/api/grading/responses").json()["items"][0]
    assert row["withheld_reason"].startswith(
        REVIEW_AFTER_CLOSE.split("{closes}")[0].format(exam=blueprint.name)
    )
    Blueprint.objects.filter(pk=blueprint.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    assert_shown(learner_client, learner, attempt_id)
    assert domain_accuracy_for(learner)


def test_a_question_is_hidden_while_another_exam_tests_it(
    learner_client, learner, blueprint
):
    """The same question in an open attempt of a second exam: the first exam's
    review of it is withheld until that attempt is over."""
    attempt_id = sit_and_grade(learner_client, blueprint)
    again = Blueprint.objects.create(
        slug="visibility-again",
        name="Visibility exam, second sitting",
        certification=blueprint.certification,
        time_limit_seconds=3600,
    )
    for row in BlueprintQuestion.objects.filter(blueprint=blueprint):
        BlueprintQuestion.objects.create(blueprint=again, question=row.question)
    learner_client.post(f"{API}/{again.slug}/attempts")
    bodies = walk(learner_client, learner, score_allowed=True)
    results = json.loads(bodies[f"{API}/attempts/{attempt_id}/results"])
    assert {item["withheld_reason"] for item in results["state"]["items"]} == {
        TESTED_NOW
    }
    attempt_id_2 = Attempt.objects.get(blueprint=again).pk
    learner_client.post(f"{API}/attempts/{attempt_id_2}/submit")
    attempt_grade(attempt_id=attempt_id_2)
    assert_shown(learner_client, learner, attempt_id)


def test_another_learners_response_is_404(learner_client, other_learner, blueprint):
    from django.test import Client

    other = Client()
    other.force_login(other_learner)
    sit_and_grade(other, blueprint)
    row = GradedResponse.objects.get(item_title="visibility-coding")
    assert learner_client.get(f"/api/grading/responses/{row.pk}").status_code == 404


def test_an_instructor_reads_the_ledger_as_stored(instructor, learner, blueprint):
    from grading.selectors import graded_responses_for
    from grading.visibility import withheld_reason

    Blueprint.objects.filter(pk=blueprint.pk).update(review_policy=ReviewPolicy.NEVER)
    from django.test import Client

    client = Client()
    client.force_login(learner)
    sit_and_grade(client, blueprint)
    as_learner = graded_responses_for(learner)
    as_instructor = graded_responses_for(learner, viewer=instructor)
    assert all(withheld_reason(row) for row in as_learner)
    assert not any(withheld_reason(row) for row in as_instructor)
