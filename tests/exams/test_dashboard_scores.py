"""The dashboard's recent mock-exam results say pass or fail only when the
results page would show the score: under "after the close date", not before."""

from datetime import timedelta

import pytest
from django.utils import timezone

from exams.models import Blueprint, ReviewPolicy
from tests.gradebook.conftest import exam_graded

pytestmark = pytest.mark.django_db


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
    exam_graded(learner, Blueprint.objects.get(pk=short.pk), right=True)
    text = panel_text(learner_client)
    assert "graded, score shown after the close" in text
    assert "passed" not in text


def test_after_the_close_the_result_says_passed(learner_client, learner, short):
    Blueprint.objects.filter(pk=short.pk).update(
        review_policy=ReviewPolicy.AFTER_CLOSE,
        closes_at=timezone.now() + timedelta(days=2),
    )
    exam_graded(learner, Blueprint.objects.get(pk=short.pk), right=True)
    Blueprint.objects.filter(pk=short.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    assert "passed" in panel_text(learner_client)
