"""A class's review override makes an exam stricter for its learners only: with
"never", the results page of a learner in the class hides the answer review that
a learner outside it sees."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
