"""A blueprint's grading policy decides how its coding items score."""

import json

import pytest
from django.core.exceptions import ValidationError

from core.imports import ImportRefused
from exams.loading import blueprints_import
from exams.models import Blueprint, Question
from exams.services import (
    attempt_grade,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
)
from grading.selectors import UNKNOWN_POLICY
from tests.exams.conftest import DATA

# The key is E11.9 alone; the answer adds I10, an extra line.
ANSWER = {"diagnoses": [{"code": "E11.9"}, {"code": "I10"}]}


def _coding_item_points(learner, blueprint):
    attempt = attempt_start(learner=learner, blueprint=blueprint)
    coding = attempt.items.get(question__kind="coding")
    attempt_save_answer(
        learner=learner,
        attempt_id=attempt.pk,
        position=coding.position,
        response=ANSWER,
    )
    attempt_submit(learner=learner, attempt_id=attempt.pk)
    attempt_grade(attempt_id=attempt.pk)
    coding.refresh_from_db()
    return coding


@pytest.mark.parametrize(
    ("policy", "points"),
    # An extra line costs half a line under practice, a whole line under strict
    # (docs/grading.md, the policies' extra_line_penalty).
    [("practice", 0.5), ("strict", 0.0)],
)
def test_coding_item_is_graded_under_the_blueprints_policy(
    learner, exams, policy, points
):
    Blueprint.objects.filter(slug="test-ccs").update(grading_policy=policy)
    coding = _coding_item_points(learner, exams["test-ccs"])
    assert (coding.points, coding.max_points) == (points, 1.0)
    assert coding.result["policy"] == policy


def test_a_weight_override_in_a_coding_items_key_applies(learner, exams):
    question = Question.objects.get(slug="t-ccs-case-1")
    question.key = {**question.key, "weights": {"extra_line": 1.0}}
    question.save(update_fields=["key"])
    Blueprint.objects.filter(slug="test-ccs").update(grading_policy="practice")
    coding = _coding_item_points(learner, exams["test-ccs"])
    assert (coding.points, coding.max_points) == (0.0, 1.0)


def test_an_unknown_blueprint_policy_is_refused_on_its_field(cpc):
    cpc.grading_policy = "lenient"
    with pytest.raises(ValidationError) as raised:
        cpc.clean()
    (message,) = raised.value.message_dict["grading_policy"]
    assert message == UNKNOWN_POLICY.format(
        name="lenient", choices="practice, exam, strict"
    )


def test_an_unknown_policy_in_the_import_names_the_blueprint(exams):
    data = json.loads((DATA / "blueprints.json").read_text("utf-8"))
    data["blueprints"][0]["policy"] = "lenient"
    with pytest.raises(ImportRefused) as raised:
        blueprints_import(data)
    message = UNKNOWN_POLICY.format(name="lenient", choices="practice, exam, strict")
    assert [str(problem) for problem in raised.value.problems] == [
        f"blueprints: blueprint 1 (test-cpc) → policy: {message}"
    ]
