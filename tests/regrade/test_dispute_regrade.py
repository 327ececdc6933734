"""An upheld dispute closes on the regrade its key change causes, whether or not
any score moved, and its learner hears of the regrade once: in the dispute's
notice."""

import pytest
from django.test import Client
from django.urls import reverse

from case_studies.models import CaseStudyPage
from disputes.forms import RulingForm
from disputes.models import Dispute
from disputes.services import RESOLVED_SUBJECT
from grading.keys import blocks_from_key
from grading.models import GradedResponse
from notifications.models import Notification
from tests.case_studies.conftest import bundle
from tests.regrade.conftest import publish_through_review
from tests.regrade.test_case_regrade import accept_e11_9, case, submit  # noqa: F401

pytestmark = pytest.mark.django_db

FIRST_DIAGNOSIS = "diagnoses.key.0"


def uphold_dispute(learner, instructor_client, response: GradedResponse) -> Dispute:
    client = Client()
    client.force_login(learner)
    url = f"{reverse('disputes:new')}?response={response.pk}&line={FIRST_DIAGNOSIS}"
    data = {"reason": "E11.9 is what the note supports.", "citation": "I.C.4.a"}
    assert client.post(url, data).status_code == 302
    dispute = Dispute.objects.get(learner=learner)
    ruling = reverse("disputes:ruling", args=[dispute.pk])
    assert instructor_client.post(ruling, {"decision": RulingForm.UPHOLD}).status_code
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.UPHELD
    return dispute


def reword_the_rationale(page: CaseStudyPage) -> None:
    """A key change that grades every answer as before."""
    key = bundle("outpatient.json")["cases"][0]["key"]
    key["diagnoses"][0]["rationale"] = "Hyperglycemia must be documented."
    page.answer_key = blocks_from_key(key)


def test_a_key_change_that_moves_no_score_resolves_the_upheld_dispute(
    case,  # noqa: F811
    learner,
    instructor,
    instructor_client,
    reviewer,
    eager_tasks,
    regraded_signals,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(learner, "E11.9").graded_response
    dispute = uphold_dispute(learner, instructor_client, response)

    reword_the_rationale(case)
    with django_capture_on_commit_callbacks(execute=True):
        publish_through_review(case, author=instructor, reviewer=reviewer)

    [signal] = regraded_signals
    assert GradedResponse.objects.get(pk=response.pk).points == response.points
    dispute.refresh_from_db()
    assert dispute.status == Dispute.Status.RESOLVED_BY_REGRADE
    [told] = Notification.objects.filter(
        user=learner, subject=RESOLVED_SUBJECT.format(label=dispute.line_label)
    )
    score = f"{response.points:g}/{response.max_points:g}"
    assert f"your score stays {score}" in told.body
    assert not Notification.objects.filter(user=learner, subject__contains="score")
    client = Client()
    client.force_login(learner)
    mine = client.get(reverse("disputes:mine")).content.decode()
    assert "Resolved by a regrade" in mine


def test_a_disputant_whose_score_changed_is_told_once_others_as_usual(
    case,  # noqa: F811
    learner,
    other_learner,
    instructor,
    instructor_client,
    reviewer,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        mine = submit(learner, "E11.9").graded_response
        theirs = submit(other_learner, "E11.9").graded_response
    dispute = uphold_dispute(learner, instructor_client, mine)
    Notification.objects.all().delete()

    accept_e11_9(case)
    with django_capture_on_commit_callbacks(execute=True):
        publish_through_review(case, author=instructor, reviewer=reviewer)

    mine_after = GradedResponse.objects.get(pk=mine.pk)
    assert mine_after.points > mine.points
    [told] = Notification.objects.filter(user=learner)
    assert told.subject == RESOLVED_SUBJECT.format(label=dispute.line_label)
    before = f"{mine.points:g}/{mine.max_points:g}"
    after = f"{mine_after.points:g}/{mine_after.max_points:g}"
    assert f"{before} before, {after} now" in told.body
    [notice] = Notification.objects.filter(user=other_learner)
    assert notice.subject == f"Your score on {case.title} changed"
    assert theirs.pk != mine.pk
