"""An exam question whose key changed through review has its graded answers
regraded, and their attempts rescored."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exams.factories import correct_response
from exams.models import Attempt, AttemptItem, Blueprint, Question
from exams.regrade import question_regrade
from exams.selectors import ledger_ref_prefix
from exams.services import (
    attempt_save_answer,
    attempt_start,
    attempt_submit,
)
from grading.items import ItemRef
from grading.models import GradedResponse, GradedResponseRegrade
from notifications.models import Notification
from readiness.models import MockExamPrediction
from tests.exams.conftest import load_test_exams
from tests.regrade.conftest import publish_through_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def exams(db):
    load_test_exams()
    return {blueprint.slug: blueprint for blueprint in Blueprint.objects.all()}


def sit(learner, blueprint, answers: dict[str, dict], capture) -> Attempt:
    """The learner's graded attempt, answering each question by slug (the right
    answer where none is given)."""
    with capture(execute=True):
        attempt = attempt_start(learner=learner, blueprint=blueprint)
        for item in attempt.items.select_related("question"):
            attempt_save_answer(
                learner=learner,
                attempt_id=attempt.pk,
                position=item.position,
                response=answers.get(item.question.slug) or correct_response(item),
            )
        attempt_submit(learner=learner, attempt_id=attempt.pk)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    return attempt


def ledger_row(attempt: Attempt, slug: str) -> GradedResponse:
    item = attempt.items.get(question__slug=slug)
    return GradedResponse.objects.get(
        attempt_ref=f"{ledger_ref_prefix(attempt.pk)}{item.pk}"
    )


def flip_em_key_to_c(question: Question) -> None:
    options = list(question.options.all())
    for option in options:
        option.correct = option.option_id == "c"
    question.options = options


@pytest.fixture
def cpc_attempts(
    exams,
    learner,
    other_learner,
    third_learner,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    """At t-em-1 (key b): the learner answers b, the other learner c, the third a;
    every other answer is right."""
    cpc = exams["test-cpc"]
    capture = django_capture_on_commit_callbacks
    return {
        "learner": sit(learner, cpc, {"t-em-1": {"options": ["b"]}}, capture),
        "other": sit(other_learner, cpc, {"t-em-1": {"options": ["c"]}}, capture),
        "third": sit(third_learner, cpc, {"t-em-1": {"options": ["a"]}}, capture),
    }


def publish(question, instructor, reviewer, capture):
    with capture(execute=True):
        publish_through_review(question, author=instructor, reviewer=reviewer)


def test_flipping_the_correct_option_regrades_and_rescores_attempts(
    cpc_attempts,
    learner,
    other_learner,
    third_learner,
    instructor,
    reviewer,
    regraded_signals,
    django_capture_on_commit_callbacks,
):
    mine, theirs, third = (
        cpc_attempts["learner"],
        cpc_attempts["other"],
        cpc_attempts["third"],
    )
    assert (mine.percent, mine.passed) == (100.0, True)
    assert (theirs.percent, theirs.passed) == (66.67, False)
    prediction = MockExamPrediction.objects.create(
        learner=learner,
        certification=mine.blueprint.certification,
        attempt=mine,
        predicted=80,
        low=70,
        high=90,
        pass_probability=0.8,
        model_sd=5,
        responses=10,
        score=mine.percent,
        passed=True,
        sat_at=mine.started_at,
    )
    question = Question.objects.get(slug="t-em-1")

    flip_em_key_to_c(question)
    publish(question, instructor, reviewer, django_capture_on_commit_callbacks)

    for attempt in cpc_attempts.values():
        attempt.refresh_from_db()
    assert (mine.percent, mine.passed, mine.points) == (66.67, False, 2.0)
    assert (theirs.percent, theirs.passed, theirs.points) == (100.0, True, 3.0)
    assert (third.percent, third.passed) == (66.67, False)
    em = next(
        row
        for row in mine.domain_breakdown
        if row["slug"] == "cpc-evaluation-management"
    )
    assert (em["points"], em["percent"]) == (0.0, 0.0)
    item = AttemptItem.objects.get(attempt=mine, question=question)
    assert item.points == 0.0 and item.result["missed"] == ["c"]
    unchanged = AttemptItem.objects.get(attempt=third, question=question)
    assert unchanged.points == 0.0 and unchanged.result["missed"] == ["c"]
    prediction.refresh_from_db()
    assert (prediction.score, prediction.passed) == (66.67, False)

    my_row = ledger_row(mine, "t-em-1")
    regrade = GradedResponseRegrade.objects.get(graded_response=my_row)
    assert regrade.previous["points"] == 1.0 and my_row.points == 0.0
    assert regrade.regraded_by == reviewer
    assert regrade.reason == (
        f"Answer key changed on {timezone.localdate().isoformat()}: "
        "t-em-1: correct options b → c."
    )
    [signal] = regraded_signals
    assert signal["item"] == ItemRef.exam_question(question.pk)
    assert sorted(signal["graded_response_ids"]) == sorted(
        [my_row.pk, ledger_row(theirs, "t-em-1").pk, ledger_row(third, "t-em-1").pk]
    )

    [notice] = Notification.objects.filter(user=learner)
    assert notice.subject == "Your score on Test CPC exam changed"
    assert notice.body == (
        "Your score on Test CPC exam (attempt 1) changed from 100% to 66.67%. "
        "You no longer pass. Question t-em-1 was regraded. "
        f"{regrade.reason}"
    )
    assert notice.url == reverse("exams:results", args=[mine.pk])
    [their_notice] = Notification.objects.filter(user=other_learner)
    assert "from 66.67% to 100%. You now pass." in their_notice.body
    assert not Notification.objects.filter(user=third_learner).exists()


def test_regrading_a_question_again_changes_nothing(
    cpc_attempts,
    instructor,
    reviewer,
    regraded_signals,
    django_capture_on_commit_callbacks,
):
    question = Question.objects.get(slug="t-em-1")
    flip_em_key_to_c(question)
    publish(question, instructor, reviewer, django_capture_on_commit_callbacks)
    attempts = list(Attempt.objects.order_by("pk").values())
    rows = list(GradedResponse.objects.order_by("pk").values())
    regrades = GradedResponseRegrade.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        changed = question_regrade(
            question_id=question.pk,
            revision_id=question.live_revision_id,
            reason="again",
        )

    assert changed == []
    assert list(Attempt.objects.order_by("pk").values()) == attempts
    assert list(GradedResponse.objects.order_by("pk").values()) == rows
    assert GradedResponseRegrade.objects.count() == regrades
    assert Notification.objects.count() == 2
    assert [signal["graded_response_ids"] for signal in regraded_signals][1:] == [[]]


def test_a_coding_item_key_change_regrades_and_respects_a_score_only_review(
    code_sets,
    exams,
    learner,
    instructor,
    reviewer,
    eager_tasks,
    regraded_signals,
    django_capture_on_commit_callbacks,
):
    ccs = exams["test-ccs"]
    attempt = sit(
        learner,
        ccs,
        {"t-ccs-case-1": {"diagnoses": [{"code": "E11.65"}]}},
        django_capture_on_commit_callbacks,
    )
    percent_before = attempt.percent
    row_before = ledger_row(attempt, "t-ccs-case-1")
    question = Question.objects.get(slug="t-ccs-case-1")
    question.key = {
        **question.key,
        "diagnoses": [{"code": "E11.65", "rationale": "Hyperglycemia documented."}],
    }

    publish(question, instructor, reviewer, django_capture_on_commit_callbacks)

    attempt.refresh_from_db()
    row = ledger_row(attempt, "t-ccs-case-1")
    assert row.points == row.max_points > row_before.points
    assert attempt.percent == 100.0 > percent_before
    assert attempt.passed
    regrade = row.regrades.get()
    assert "Diagnosis 1 (E11.9) changed: code 'E11.9' → 'E11.65'" in regrade.reason
    assert regraded_signals[0]["graded_response_ids"] == [row.pk]
    # "never": the learner sees the score, not the question or its key.
    [notice] = Notification.objects.filter(user=learner)
    assert notice.body == (
        f"Your score on Test CCS exam (attempt 1) changed from {percent_before:g}% "
        "to 100%. You now pass."
    )
    assert "E11" not in notice.body
