"""Migration 0006 turns each learner's best check score into the first try's,
from the grading ledger."""

import importlib
import json

import pytest
from django.apps import apps

from courses.models import CheckResult
from courses.services import enrolment_create
from grading.models import GradedResponse
from tests.courses.conftest import lesson

pytestmark = pytest.mark.django_db

first_try = importlib.import_module("courses.migrations.0006_check_first_try")


def test_the_first_try_and_the_try_first_right_come_from_the_ledger(
    learner_client, learner, course
):
    enrolment_create(learner=learner, course=course)
    first = lesson("diabetes-categories")
    learner_client.post(
        f"/api/courses/lessons/{first.pk}/checks/type2",
        data=json.dumps({"chosen": ["a"]}),
        content_type="application/json",
    )
    # As every try was recorded before: a right second try in the ledger, and
    # the summary holding the best score with feedback that showed the answer.
    row = GradedResponse.objects.get()
    row.pk, row.attempt_ref, row.points = None, row.attempt_ref[:-1] + "2", 1.0
    row.save()
    CheckResult.objects.update(
        first_points=1.0, correct_on=None, last_feedback={"correct": True}
    )

    first_try.first_tries_from_ledger(apps, None)

    result = CheckResult.objects.get()
    assert (result.first_points, result.correct_on) == (0.0, 2)
    assert result.last_feedback == {"correct": True, "revealed": True}
