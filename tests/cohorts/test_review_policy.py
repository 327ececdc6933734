"""A class's review override makes an exam stricter for its learners only: with
"never", the results page of a learner in the class hides the answer review that
a learner outside it sees; with "after the close date", the class's close is the
assignment's due date."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Assignment
from cohorts.services import assignment_create, cohort_join
from exams.models import Attempt
from exams.services import attempt_grade

RATIONALE = "No hyperglycemia documented."


def sit_and_grade(client: Client, learner) -> str:
    client.post(reverse("exams:start", args=["test-cpc"]))
    attempt = Attempt.objects.get(learner=learner)
    question = reverse("exams:question", args=[attempt.pk, 2])
    client.post(question, {"options": "a", "go": "stay"})
    client.post(reverse("exams:submit", args=[attempt.pk]))
    attempt_grade(attempt_id=attempt.pk)
    return client.get(reverse("exams:results", args=[attempt.pk])).content.decode()


def test_a_never_override_hides_review_for_the_class_only(
    learner_client,
    learner,
    other_learner_client,
    other_learner,
    cohort,
    instructor,
    blueprints,
):
    assert blueprints["test-cpc"].review_policy == "immediately"
    cohort_join(cohort=cohort, learner=learner)
    assignment_create(
        cohort=cohort,
        created_by=instructor,
        kind="exam",
        title="Mock",
        instructions="",
        due_at=timezone.now() + timedelta(days=3),
        blueprint=blueprints["test-cpc"],
        review_policy="never",
    )
    in_class = sit_and_grade(learner_client, learner)
    outside = sit_and_grade(other_learner_client, other_learner)
    assert RATIONALE in outside
    assert RATIONALE not in in_class


def test_an_after_close_override_opens_review_at_the_due_date(
    learner_client, learner, cohort, instructor, blueprints
):
    exam = blueprints["test-cpc"]
    assert exam.review_policy == "immediately" and exam.closes_at is None
    cohort_join(cohort=cohort, learner=learner)
    assignment = assignment_create(
        cohort=cohort,
        created_by=instructor,
        kind="exam",
        title="Mock",
        instructions="",
        due_at=timezone.now() + timedelta(days=3),
        blueprint=exam,
        review_policy="after_close",
    )
    before_due = sit_and_grade(learner_client, learner)
    Assignment.objects.filter(pk=assignment.pk).update(
        assigned_at=timezone.now() - timedelta(days=2),
        due_at=timezone.now() - timedelta(minutes=1),
    )
    attempt = Attempt.objects.get(learner=learner)
    results = reverse("exams:results", args=[attempt.pk])
    after_due = learner_client.get(results).content.decode()

    assert RATIONALE not in before_due
    assert "Scores are shown after the exam closes." in before_due
    assert RATIONALE in after_due


def test_the_later_close_wins_between_the_exam_and_the_class(
    learner_client, learner, cohort, instructor, blueprints
):
    exam = blueprints["test-cpc"]
    exam.review_policy = "after_close"
    exam.closes_at = timezone.now() + timedelta(days=5)
    exam.save(update_fields=["review_policy", "closes_at"])
    cohort_join(cohort=cohort, learner=learner)
    assignment = assignment_create(
        cohort=cohort,
        created_by=instructor,
        kind="exam",
        title="Mock",
        instructions="",
        due_at=timezone.now() + timedelta(days=3),
        blueprint=exam,
        review_policy="after_close",
    )
    sit_and_grade(learner_client, learner)
    attempt = Attempt.objects.get(learner=learner)
    results = reverse("exams:results", args=[attempt.pk])
    Assignment.objects.filter(pk=assignment.pk).update(
        assigned_at=timezone.now() - timedelta(days=2),
        due_at=timezone.now() - timedelta(minutes=1),
    )
    class_closed = learner_client.get(results).content.decode()
    exam.closes_at = timezone.now() - timedelta(minutes=1)
    exam.save(update_fields=["closes_at"])
    both_closed = learner_client.get(results).content.decode()

    assert RATIONALE not in class_closed
    assert RATIONALE in both_closed
