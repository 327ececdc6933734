"""A case key changed through review regrades every submitted attempt at it."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from case_studies.bundles import bundle_import
from case_studies.models import CaseAttempt, CaseStudyPage
from case_studies.regrade import case_regrade
from grading.items import ItemRef
from grading.keys import blocks_from_key
from grading.models import GradedResponse, GradedResponseRegrade
from notifications.models import Notification
from readiness.models import ReadinessSnapshot
from tests.case_studies.conftest import bundle
from tests.regrade.conftest import publish_through_review

pytestmark = pytest.mark.django_db

OFFICE = "test-office-diabetes"
ANSWER = {
    "dx-1-code": "E78.5",
    "svc-0-code": "99214",
    "svc-0-units": "1",
    "svc-0-pointers": "1, 2",
}


@pytest.fixture
def case(code_sets):
    bundle_import(bundle("outpatient.json"))
    return CaseStudyPage.objects.get(slug=OFFICE)


def submit(user, diagnosis: str) -> CaseAttempt:
    client = Client()
    client.force_login(user)
    url = reverse("case_studies:practice", args=[OFFICE])
    attempt = client.get(url).context["attempt"]
    response = client.post(
        url, {"attempt": attempt.pk, "dx-0-code": diagnosis, **ANSWER}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    return attempt


def accept_e11_9(case: CaseStudyPage) -> dict:
    """The key with E11.9 accepted beside E11.65 (no longer a common error)."""
    key = bundle("outpatient.json")["cases"][0]["key"]
    key["diagnoses"][0]["alternatives"] = ["E11.9"]
    key["diagnoses"][0]["common_errors"] = []
    case.answer_key = blocks_from_key(key)
    return key


@pytest.fixture
def graded(
    case, learner, other_learner, eager_tasks, django_capture_on_commit_callbacks
):
    """The learner answered E11.9 (partly right under the first key), the other
    learner E11.65 (right under both)."""
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "learner": submit(learner, "E11.9"),
            "other": submit(other_learner, "E11.65"),
        }


def publish_new_key(case, instructor, reviewer, capture):
    accept_e11_9(case)
    with capture(execute=True):
        publish_through_review(case, author=instructor, reviewer=reviewer)


def test_a_published_key_change_regrades_every_submitted_attempt(
    case,
    graded,
    learner,
    other_learner,
    instructor,
    reviewer,
    eager_tasks,
    regraded_signals,
    django_capture_on_commit_callbacks,
):
    mine = graded["learner"].graded_response
    theirs = graded["other"].graded_response
    open_attempt = CaseAttempt.objects.create(learner=learner, case=case)
    snapshot_before = ReadinessSnapshot.objects.get(learner=learner)

    publish_new_key(case, instructor, reviewer, django_capture_on_commit_callbacks)

    mine_after = GradedResponse.objects.get(pk=mine.pk)
    assert mine.points < mine_after.points == mine_after.max_points
    assert mine_after.key_revision == case.key_revision != mine.key_revision
    regrade = GradedResponseRegrade.objects.get(graded_response=mine)
    assert regrade.previous["points"] == mine.points
    assert regrade.regraded_by == reviewer
    assert regrade.reason.startswith(
        f"Answer key changed on {timezone.localdate().isoformat()}: Diagnosis 1 "
        "(E11.65) changed: alternatives [] → ['E11.9']"
    )
    theirs_after = GradedResponse.objects.get(pk=theirs.pk)
    assert theirs_after.points == theirs.points
    assert theirs_after.key_revision == case.key_revision
    assert not GradedResponse.objects.filter(
        attempt_ref=f"case-attempt:{open_attempt.pk}"
    ).exists()

    [signal] = regraded_signals
    assert signal["item"] == ItemRef.case_study(case.pk)
    assert signal["graded_response_ids"] == [mine.pk]
    assert signal["reason"].startswith("Answer key changed on")

    snapshot_after = ReadinessSnapshot.objects.get(learner=learner)
    assert snapshot_after.predicted > snapshot_before.predicted


def test_only_learners_whose_score_changed_are_told_what_changed(
    case,
    graded,
    learner,
    other_learner,
    instructor,
    reviewer,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    before = graded["learner"].graded_response
    publish_new_key(case, instructor, reviewer, django_capture_on_commit_callbacks)

    [notice] = Notification.objects.filter(user=learner)
    assert notice.subject == f"Your score on {case.title} changed"
    assert notice.body.startswith(
        f"Your score on {case.title} changed from {before.points:g}/"
        f"{before.max_points:g} to {before.max_points:g}/{before.max_points:g}. "
        "Answer key changed on"
    )
    assert "alternatives [] → ['E11.9']" in notice.body
    assert notice.url == graded["learner"].get_absolute_url()
    assert not Notification.objects.filter(user=other_learner).exists()

    client = Client()
    client.force_login(learner)
    feedback = client.get(notice.url)
    assert feedback.status_code == 200
    client.force_login(other_learner)
    assert client.get(notice.url).status_code == 404


def test_regrading_again_changes_nothing(
    case,
    graded,
    learner,
    instructor,
    reviewer,
    eager_tasks,
    regraded_signals,
    django_capture_on_commit_callbacks,
):
    publish_new_key(case, instructor, reviewer, django_capture_on_commit_callbacks)
    change = case.key_changes.first()
    rows = list(GradedResponse.objects.order_by("pk").values())

    with django_capture_on_commit_callbacks(execute=True):
        assert case_regrade(case_id=case.pk, key_change_id=change.pk) == []

    assert list(GradedResponse.objects.order_by("pk").values()) == rows
    assert GradedResponseRegrade.objects.count() == 2
    assert Notification.objects.count() == 1
    assert [signal["graded_response_ids"] for signal in regraded_signals][1:] == [[]]


def test_a_publish_that_keeps_the_key_regrades_nothing(
    case,
    graded,
    instructor,
    reviewer,
    eager_tasks,
    regraded_signals,
    django_capture_on_commit_callbacks,
):
    case.search_description = "Edited text, same key"
    with django_capture_on_commit_callbacks(execute=True):
        publish_through_review(case, author=instructor, reviewer=reviewer)

    assert not GradedResponseRegrade.objects.exists()
    assert not Notification.objects.exists()
    assert regraded_signals == []
