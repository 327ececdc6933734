"""A lesson whose knowledge check key changed through review has every answer to
that check regraded, and each learner's check summary follows."""

import copy
import json

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.blocks import StreamValue

from courses.models import CheckResult, CoursePage, LessonPage
from courses.regrade import KEY_CORRECTED, lesson_regrade
from courses.services import enrolment_create
from grading.items import ItemRef
from grading.models import GradedResponse, GradedResponseRegrade
from notifications.models import Notification
from tests.courses.conftest import load_sample
from tests.regrade.conftest import publish_through_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(db):
    load_sample()
    return LessonPage.objects.get(slug="diabetes-categories")


def answer(user, lesson, chosen: list[str], check_id: str = "type2") -> GradedResponse:
    """Answer the check as `user` through the API; returns their first try's row."""
    course = CoursePage.objects.ancestor_of(lesson).get()
    enrolment_create(learner=user, course=course)
    client = Client()
    client.force_login(user)
    response = client.post(
        f"/api/courses/lessons/{lesson.pk}/checks/{check_id}",
        data=json.dumps({"chosen": chosen}),
        content_type="application/json",
    )
    assert response.status_code == 200
    return GradedResponse.objects.get(
        learner=user, item_id=ItemRef.knowledge_check(lesson.pk, check_id).item_id
    )


def make_correct(lesson: LessonPage, check_id: str, option_ids: set[str]) -> None:
    """Key the check's `option_ids` as its correct options, and no others."""
    raw = copy.deepcopy(list(lesson.body.raw_data))
    for block in raw:
        if (
            block["type"] == "knowledge_check"
            and block["value"]["check_id"] == check_id
        ):
            for option in block["value"]["options"]:
                value = option.get("value", option)
                value["correct"] = value["option_id"] in option_ids
    lesson.body = StreamValue(lesson.body.stream_block, raw, is_lazy=True)


def make_a_the_answer(lesson: LessonPage) -> None:
    """The type2 check keys E10 (option a) instead of E11 (b)."""
    make_correct(lesson, "type2", {"a"})


def test_a_changed_check_key_regrades_its_answers_and_summaries(
    lesson,
    learner,
    other_learner,
    instructor,
    reviewer,
    eager_tasks,
    regraded_signals,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = answer(learner, lesson, ["a"])
        theirs = answer(other_learner, lesson, ["b"])
    assert (mine.points, theirs.points) == (0.0, 1.0)

    make_a_the_answer(lesson)
    with django_capture_on_commit_callbacks(execute=True):
        publish_through_review(lesson, author=instructor, reviewer=reviewer)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.points, theirs.points) == (1.0, 0.0)
    regrade = GradedResponseRegrade.objects.get(graded_response=mine)
    assert regrade.regraded_by == reviewer
    assert regrade.reason == (
        f"Answer key changed on {timezone.localdate().isoformat()}: "
        "check type2: correct options b → a."
    )
    my_result = CheckResult.objects.get(progress__enrolment__learner=learner)
    their_result = CheckResult.objects.get(progress__enrolment__learner=other_learner)
    assert (my_result.first_points, my_result.passed) == (1.0, True)
    assert my_result.last_feedback["correct"]
    assert (their_result.first_points, their_result.passed) == (0.0, False)

    [signal] = regraded_signals
    assert signal["item"] == ItemRef.knowledge_check(lesson.pk, "type2")
    assert sorted(signal["graded_response_ids"]) == sorted([mine.pk, theirs.pk])
    [notice] = Notification.objects.filter(user=learner)
    assert notice.body == (
        f"Your score on {mine.item_title} changed from 0/1 to 1/1. {regrade.reason}"
    )
    assert notice.url == lesson.url
    assert Notification.objects.filter(user=other_learner).count() == 1

    rows = list(GradedResponse.objects.order_by("pk").values())
    with django_capture_on_commit_callbacks(execute=True):
        again = lesson_regrade(
            lesson_id=lesson.pk,
            revision_id=lesson.live_revision_id,
            reasons={"type2": regrade.reason},
        )
    assert again == {"type2": []}
    assert list(GradedResponse.objects.order_by("pk").values()) == rows
    assert Notification.objects.count() == 2


def test_a_learner_not_shown_the_answer_is_not_told_the_key_change(
    learner,
    other_learner,
    third_learner,
    instructor,
    reviewer,
    eager_tasks,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """The "linked" check keys a and b. One learner answered a once (wrong, half
    the credit: the answer is not shown yet); another answered a, then a and b
    (shown). Keying c as well moves both first tries to a third of the credit."""
    load_sample()
    lesson = LessonPage.objects.get(slug="diabetes-complications")
    with django_capture_on_commit_callbacks(execute=True):
        hidden = answer(learner, lesson, ["a"], "linked")
        shown = answer(other_learner, lesson, ["a"], "linked")
        answer(other_learner, lesson, ["a", "b"], "linked")
    assert (hidden.points, shown.points) == (0.5, 0.5)

    make_correct(lesson, "linked", {"a", "b", "c"})
    with django_capture_on_commit_callbacks(execute=True):
        publish_through_review(lesson, author=instructor, reviewer=reviewer)

    reason = GradedResponseRegrade.objects.get(graded_response=shown).reason
    assert reason.endswith("check linked: correct options a, b → a, b, c.")
    [told_shown] = Notification.objects.filter(user=other_learner)
    assert told_shown.body == (
        f"Your score on {shown.item_title} changed from 0.5/1 to 0.3333/1. {reason}"
    )
    [told_hidden] = Notification.objects.filter(user=learner)
    assert told_hidden.body == (
        f"Your score on {hidden.item_title} changed from 0.5/1 to 0.3333/1. "
        f"{KEY_CORRECTED}"
    )
    [mail_hidden] = [mail for mail in mailoutbox if mail.to == [learner.email]]
    [mail_shown] = [mail for mail in mailoutbox if mail.to == [other_learner.email]]
    assert "a, b → a, b, c" in mail_shown.body
    for told in (told_hidden.body, mail_hidden.body):
        assert "→" not in told
        assert "correct options" not in told
    assert not Notification.objects.filter(user=third_learner).exists()


def test_a_key_change_that_hides_the_answer_again_is_not_quoted(
    lesson,
    learner,
    instructor,
    reviewer,
    eager_tasks,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    """Right at once under the old key, the learner saw the answer (b); keyed a,
    their one try is wrong, so the new answer is theirs to find."""
    with django_capture_on_commit_callbacks(execute=True):
        mine = answer(learner, lesson, ["b"])

    make_a_the_answer(lesson)
    with django_capture_on_commit_callbacks(execute=True):
        publish_through_review(lesson, author=instructor, reviewer=reviewer)

    result = CheckResult.objects.get(progress__enrolment__learner=learner)
    assert not result.revealed
    [notice] = Notification.objects.filter(user=learner)
    assert notice.body == (
        f"Your score on {mine.item_title} changed from 1/1 to 0/1. {KEY_CORRECTED}"
    )
    [mail] = [mail for mail in mailoutbox if mail.to == [learner.email]]
    assert mail.body == notice.body
