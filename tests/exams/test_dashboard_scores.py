"""The dashboard's recent mock-exam results say pass or fail only when the
results page would show the score: under "after the close date", not before."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exams.factories import correct_response
from exams.models import Blueprint, ReviewPolicy
from exams.services import (
    attempt_grade,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
)

pytestmark = pytest.mark.django_db


def graded_attempt(learner, blueprint):
    attempt = attempt_start(learner=learner, blueprint=blueprint)
    for item in attempt.items.select_related("question"):
        attempt_save_answer(
            learner=learner,
            attempt_id=attempt.pk,
            position=item.position,
            response=correct_response(item),
            time_spent_seconds=30,
        )
    attempt_submit(learner=learner, attempt_id=attempt.pk)
    return attempt_grade(attempt_id=attempt.pk)


def panel_text(client) -> str:
    html = client.get("/dashboard/").content.decode()
    return html[html.index("exam-panel-heading") :]


def test_before_the_close_the_result_says_only_that_it_is_graded(
    learner_client, learner, short
):
    Blueprint.objects.filter(pk=short.pk).update(
        review_policy=ReviewPolicy.AFTER_CLOSE,
        closes_at=timezone.now() + timedelta(days=2),
    )
    graded_attempt(learner, Blueprint.objects.get(pk=short.pk))
    text = panel_text(learner_client)
    assert "graded, score shown after the close" in text
    assert "passed" not in text


def test_after_the_close_the_result_says_passed(learner_client, learner, short):
    Blueprint.objects.filter(pk=short.pk).update(
        review_policy=ReviewPolicy.AFTER_CLOSE,
        closes_at=timezone.now() + timedelta(days=2),
    )
    graded_attempt(learner, Blueprint.objects.get(pk=short.pk))
    Blueprint.objects.filter(pk=short.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    assert "passed" in panel_text(learner_client)
