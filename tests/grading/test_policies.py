"""Scoring policies: instructor-defined ones (model, admin form, selector) and the
grading services that use them."""

from dataclasses import asdict

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grading.codebook import remembered_statuses
from grading.engine import EXAM, PRACTICE
from grading.engine.choice import NO_CORRECT_OPTION
from grading.engine.policy import CLOSER_EARNS_MORE, MUST_BE_FRACTION, MUST_BE_POSITIVE
from grading.models import BUILT_IN_NAME, ScoringPolicyDefinition
from grading.selectors import UNKNOWN_POLICY, policies_available, policy_named
from grading.services import (
    GradingInputError,
    choice_answer_grade,
    coding_answer_grade,
)
from tests.grading.conftest import document

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/snippets/grading/scoringpolicydefinition/add/"
STRICT = {"name": "Strict practice", "extra_line_penalty": 1.0}


def form_data(**changes) -> dict:
    """Every field of the admin form, with the practice values."""
    values = {**asdict(PRACTICE), "name": "Strict practice", **changes}
    # An unticked checkbox is left out of a form post.
    return {
        name: "on" if value is True else value
        for name, value in values.items()
        if value is not False
    }


def test_built_in_policies_are_found_by_name():
    assert policy_named("practice") is PRACTICE
    assert policy_named("exam") is EXAM


def test_a_defined_policy_is_found_by_name():
    ScoringPolicyDefinition.objects.create(**STRICT)
    policy = policy_named("Strict practice")
    assert policy.extra_line_penalty == 1.0 and policy.icd10cm_same_category == 0.25
    assert [p.name for p in policies_available()] == [
        "practice",
        "exam",
        "strict",
        "Strict practice",
    ]


def test_an_unknown_policy_lists_the_choices():
    ScoringPolicyDefinition.objects.create(**STRICT)
    with pytest.raises(GradingInputError) as caught:
        policy_named("lenient")
    choices = "practice, exam, strict, Strict practice"
    message = UNKNOWN_POLICY.format(name="lenient", choices=choices)
    assert caught.value.errors == [("policy", message)]


def test_the_model_validates_through_the_engine():
    definition = ScoringPolicyDefinition(
        name="Odd", icd10cm_same_subcategory=0.2, points_per_line=0, units_deduction=2
    )
    with pytest.raises(ValidationError) as caught:
        definition.full_clean()
    errors = caught.value.message_dict
    assert errors["points_per_line"] == [MUST_BE_POSITIVE]
    assert errors["units_deduction"] == [MUST_BE_FRACTION]


def test_a_closer_match_must_not_earn_less():
    definition = ScoringPolicyDefinition(name="Odd", icd10cm_same_subcategory=0.2)
    with pytest.raises(ValidationError) as caught:
        definition.full_clean()
    assert caught.value.message_dict["icd10cm_same_category"] == [
        CLOSER_EARNS_MORE.format(closer="icd10cm_same_subcategory")
    ]


@pytest.mark.parametrize("name", ["practice", "Exam", " exam "])
def test_built_in_names_cannot_be_reused(name):
    with pytest.raises(ValidationError) as caught:
        ScoringPolicyDefinition(name=name).full_clean()
    assert caught.value.message_dict["name"] == [
        BUILT_IN_NAME.format(name=name.strip())
    ]


def test_an_instructor_defines_a_policy_in_the_admin(instructor_client):
    reply = instructor_client.post(ADD_URL, form_data(extra_line_penalty="1"))
    assert reply.status_code == 302
    assert policy_named("Strict practice").extra_line_penalty == 1.0


def test_the_admin_form_shows_the_engines_field_errors(instructor_client):
    reply = instructor_client.post(
        ADD_URL, form_data(name="exam", modifier_deduction="1.5")
    )
    assert reply.status_code == 200
    form = reply.context["form"]
    assert form.errors["name"] == [BUILT_IN_NAME.format(name="exam")]
    assert form.errors["modifier_deduction"] == [MUST_BE_FRACTION]
    assert not ScoringPolicyDefinition.objects.exists()


def test_a_learner_cannot_open_the_policy_admin(learner_client):
    assert learner_client.get(ADD_URL).status_code == 302


def test_coding_answer_grade_uses_the_named_policy(code_sample):
    ScoringPolicyDefinition.objects.create(**STRICT)
    key, response = document("outpatient-key"), document("outpatient-response")
    practice = coding_answer_grade(key_data=key, response_data=response)
    strict = coding_answer_grade(
        key_data=key, response_data=response, policy_name="Strict practice"
    )
    assert (practice.points, strict.points) == (4.25, 3.75)
    assert strict.policy == "Strict practice"


def test_coding_answer_grade_reports_key_and_response_errors_together():
    with pytest.raises(GradingInputError) as caught:
        coding_answer_grade(key_data={"setting": "outpatient"}, response_data=[])
    assert ("key.date_of_service", "is required") in caught.value.errors
    assert ("response", "must be an object") in caught.value.errors


@pytest.mark.parametrize(
    ("policy", "chosen", "points"),
    [("practice", ["a"], 0.5), ("exam", ["a"], 0.0), ("exam", ["a", "c"], 1.0)],
)
def test_choice_answer_grade(policy, chosen, points):
    result = choice_answer_grade(
        correct_option_ids=["a", "c"], chosen_option_ids=chosen, policy_name=policy
    )
    assert result.points == points and result.max_points == 1.0


def test_a_choice_item_without_a_correct_option_is_refused():
    with pytest.raises(GradingInputError) as caught:
        choice_answer_grade(correct_option_ids=[], chosen_option_ids=["a"])
    assert caught.value.errors == [("correct_option_ids", NO_CORRECT_OPTION)]


def test_grading_queries_do_not_grow_with_the_lines(code_sample):
    key = document("outpatient-key")

    def queries_for(response) -> int:
        # Both cold: codes the process already resolved would cost nothing.
        remembered_statuses.forget()
        with CaptureQueriesContext(connection) as captured:
            coding_answer_grade(key_data=key, response_data=response)
        return len(captured)

    short = document("outpatient-response")
    long = document("outpatient-response")
    long["diagnoses"] += [{"code": code} for code in ("E11.9", "I10", "K35.80")]
    assert queries_for(long) == queries_for(short)
