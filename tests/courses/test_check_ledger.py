"""A knowledge check's first try in the ledger (the grading API, the data export)
keeps its result, which names the options it missed, until the check's answer
is revealed to the learner."""

import json

import pytest

from courses.models import CoursePage, LessonPage
from courses.selectors import CHECK_NOT_REVEALED
from courses.services import enrolment_create
from grading.models import GradedResponse
from tests.courses.conftest import load_sample

pytestmark = pytest.mark.django_db


def test_a_wrong_first_try_shows_no_key_in_the_ledger_until_revealed(
    learner, learner_client
):
    load_sample()
    lesson = LessonPage.objects.get(slug="diabetes-categories")
    enrolment_create(
        learner=learner, course=CoursePage.objects.ancestor_of(lesson).get()
    )

    def answer(chosen):
        reply = learner_client.post(
            f"/api/courses/lessons/{lesson.pk}/checks/type2",
            data=json.dumps({"chosen": chosen}),
            content_type="application/json",
        )
        assert reply.status_code == 200

    answer(["a"])
    row = GradedResponse.objects.get(learner=learner)
    detail = learner_client.get(f"/api/grading/responses/{row.pk}").json()
    assert detail["withheld_reason"] == CHECK_NOT_REVEALED
    assert detail["result"] is None
    export = learner_client.get("/account/privacy/export.json").json()
    [exported] = export["graded_responses"]
    assert (exported["withheld_reason"], exported["result"]) == (
        CHECK_NOT_REVEALED,
        None,
    )

    answer(["a"])
    detail = learner_client.get(f"/api/grading/responses/{row.pk}").json()
    assert detail["withheld_reason"] == ""
    assert detail["result"]["missed"] == ["b"]
