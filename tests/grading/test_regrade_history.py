"""A regrade keeps what it replaced (issue #12, finding 6: "a regrade overwrites
the earlier result"): who regraded, when, why, which fields changed and their
earlier values; the learner reads the current result."""

import pytest

from certifications.models import Domain
from grading.factories import GradedResponseFactory
from grading.models import GradedResponse, GradedResponseRegrade
from grading.services import REGRADED_BY_SYSTEM

pytestmark = pytest.mark.django_db


def test_a_regrade_keeps_the_earlier_result_with_who_when_and_why(learner, instructor):
    first = GradedResponseFactory(learner=learner, points=3.0)
    regraded = GradedResponseFactory(
        learner=learner,
        points=2.0,
        key_revision="r2",
        regraded_by=instructor,
        regrade_reason="Key corrected: E11.65 is the right code.",
    )
    history = GradedResponseRegrade.objects.get(graded_response=regraded)
    assert history.regraded_by == instructor
    assert history.reason == "Key corrected: E11.65 is the right code."
    assert history.regraded_at == regraded.graded_at
    assert sorted(history.changed_fields) == ["key_revision", "points", "result"]
    assert history.previous["points"] == 3.0
    assert history.previous["key_revision"] == "r1"
    assert history.previous["result"]["points"] == 3.0
    assert history.previous["graded_at"] == first.graded_at.isoformat()
    assert history.previous["domains"] == [
        Domain.objects.get(slug="cpc-surgery-20000").pk
    ]


def test_every_regrade_adds_a_history_row_and_a_repeat_adds_none(learner):
    GradedResponseFactory(learner=learner, points=3.0)
    GradedResponseFactory(learner=learner, points=3.0)
    assert not GradedResponseRegrade.objects.exists()
    GradedResponseFactory(learner=learner, points=2.0)
    GradedResponseFactory(learner=learner, points=1.0)
    rows = GradedResponseRegrade.objects.order_by("regraded_at", "pk")
    assert [row.previous["points"] for row in rows] == [3.0, 2.0]
    assert {row.reason for row in rows} == {REGRADED_BY_SYSTEM}
    assert {row.regraded_by for row in rows} == {None}
    assert GradedResponse.objects.get().regraded_count == 2


def test_a_changed_domain_alone_is_a_regrade_with_history(learner):
    GradedResponseFactory(learner=learner)
    GradedResponseFactory(
        learner=learner, domains=Domain.objects.filter(slug="cpc-icd-10-cm")
    )
    assert GradedResponseRegrade.objects.get().changed_fields == ["domains"]


def test_the_learner_reads_the_current_result(learner_client, learner):
    row = GradedResponseFactory(learner=learner, points=3.0)
    GradedResponseFactory(learner=learner, points=1.5)
    detail = learner_client.get(f"/api/grading/responses/{row.pk}").json()
    assert detail["points"] == 1.5 and detail["result"]["points"] == 1.5
    assert detail["regraded_count"] == 1


def test_an_instructor_reads_the_history_in_the_admin(
    instructor_client, learner, instructor
):
    GradedResponseFactory(learner=learner, points=3.0)
    GradedResponseFactory(
        learner=learner, points=2.0, regraded_by=instructor, regrade_reason="Key fixed."
    )
    listing = instructor_client.get("/admin/graded_response_regrades/")
    assert listing.status_code == 200 and b"Key fixed." in listing.content
    history = GradedResponseRegrade.objects.get()
    inspect = f"/admin/graded_response_regrades/inspect/{history.pk}/"
    assert instructor_client.get(inspect).status_code == 200
    edit = instructor_client.get(f"/admin/graded_response_regrades/edit/{history.pk}/")
    assert edit.status_code in (302, 403)
