"""The ledger of graded responses: recording, idempotence, regrades, bad input,
the signal, and the selectors that read it."""

from dataclasses import replace

import pytest
from django.http import Http404

from certifications.models import Domain
from grading import services
from grading.engine import result_to_dict
from grading.factories import GradedResponseFactory, coding_result
from grading.models import GradedResponse
from grading.selectors import (
    domain_accuracy_for,
    graded_response_for,
    graded_responses_for,
)
from grading.services import NOT_A_NUMBER, GradingInputError
from grading.signals import response_graded

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    """Every `response_graded` sent during the test, as its keyword arguments."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    response_graded.connect(receiver)
    yield calls
    response_graded.disconnect(receiver)


def test_a_record_stores_every_field(learner):
    row = GradedResponseFactory(learner=learner, points=3.0)
    row.refresh_from_db()
    assert row.learner == learner and row.source == "practice_case"
    assert (row.item_type, row.item_id, row.attempt_ref) == (
        "case_study",
        "42",
        "attempt-1",
    )
    assert [d.slug for d in row.domains.all()] == ["cpc-surgery-20000"]
    assert (row.points, row.max_points, row.percentage) == (3.0, 4.0, 75.0)
    assert row.status_counts == {
        "exact": 3,
        "partial": 1,
        "missing": 0,
        "omitted": 0,
        "extra": 0,
        "invalid": 0,
    }
    assert (row.policy, row.time_spent, row.key_revision) == ("practice", 300, "r1")
    assert row.regraded_count == 0 and row.graded_at is not None
    assert row.result == result_to_dict(coding_result(points=3.0))


def test_recording_the_same_attempt_twice_keeps_one_unchanged_row(learner):
    first = GradedResponseFactory(learner=learner)
    again = GradedResponseFactory(learner=learner)
    assert GradedResponse.objects.count() == 1
    assert again.pk == first.pk
    assert again.regraded_count == 0 and again.graded_at == first.graded_at


def test_a_regrade_replaces_the_points_and_counts_the_regrade(learner):
    first = GradedResponseFactory(learner=learner, points=1.0)
    regraded = GradedResponseFactory(learner=learner, points=2.5, key_revision="r2")
    regraded.refresh_from_db()
    assert GradedResponse.objects.count() == 1
    assert (regraded.points, regraded.key_revision) == (2.5, "r2")
    assert regraded.result["points"] == 2.5
    assert regraded.regraded_count == 1 and regraded.graded_at > first.graded_at


def test_a_regrade_can_change_the_domains(learner):
    GradedResponseFactory(learner=learner)
    row = GradedResponseFactory(
        learner=learner, domains=Domain.objects.filter(slug="cpc-anesthesia")
    )
    assert [d.slug for d in row.domains.all()] == ["cpc-anesthesia"]
    assert row.regraded_count == 1


def test_the_same_attempt_ref_from_another_source_is_another_row(learner):
    GradedResponseFactory(learner=learner)
    GradedResponseFactory(learner=learner, source=GradedResponse.Source.EXAM_ITEM)
    assert GradedResponse.objects.count() == 2


def test_an_attempt_of_another_learner_is_refused(learner, other_learner):
    GradedResponseFactory(learner=learner)
    with pytest.raises(GradingInputError) as caught:
        GradedResponseFactory(learner=other_learner, points=0.0)
    assert caught.value.errors == [("attempt_ref", services.ATTEMPT_OF_ANOTHER_LEARNER)]
    assert GradedResponse.objects.get().points == 1.0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"source": "quiz"}, "source", "must be one of practice_case"),
        ({"difficulty": "hard"}, "difficulty", "must be one of beginner"),
        ({"attempt_ref": " "}, "attempt_ref", services.EMPTY_REF),
        ({"graded": replace(coding_result(), points="3")}, "points", NOT_A_NUMBER),
        ({"max_points": -1, "points": -2}, "max_points", services.NEGATIVE_MAX_POINTS),
        ({"points": 5.0}, "points", "must not be more than max_points (4)"),
        ({"time_spent": -5}, "time_spent", services.BAD_TIME_SPENT),
        ({"item_title": "x" * 256}, "item_title", "must be at most 255 characters"),
        ({"domains": [999999]}, "domains", "unknown domain ids: 999999"),
    ],
)
def test_bad_records_name_the_field_and_store_nothing(
    learner, overrides, field, message
):
    with pytest.raises(GradingInputError) as caught:
        GradedResponseFactory(learner=learner, **overrides)
    [(path, text)] = caught.value.errors
    assert path == field and text.startswith(message)
    assert not GradedResponse.objects.exists()


def test_the_signal_is_sent_on_commit_for_new_rows_and_regrades_only(
    learner, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = GradedResponseFactory(learner=learner)
    with django_capture_on_commit_callbacks(execute=True):
        GradedResponseFactory(learner=learner)
    with django_capture_on_commit_callbacks(execute=True):
        GradedResponseFactory(learner=learner, points=2.0)
    expected = {"graded_response_id": row.pk, "learner_id": learner.pk}
    assert [{k: call[k] for k in expected} for call in received] == [expected] * 2


def test_the_signal_waits_for_the_commit(learner, received):
    GradedResponseFactory(learner=learner)
    assert received == []


def test_a_learner_reads_only_their_own_rows_newest_first(learner, other_learner):
    older = GradedResponseFactory(learner=learner, attempt_ref="a")
    newer = GradedResponseFactory(learner=learner, attempt_ref="b")
    GradedResponseFactory(learner=other_learner, attempt_ref="c")
    assert list(graded_responses_for(learner)) == [newer, older]
    assert graded_response_for(learner, older.pk) == older


def test_another_learners_row_is_not_found(learner, other_learner):
    row = GradedResponseFactory(learner=other_learner)
    with pytest.raises(Http404):
        graded_response_for(learner, row.pk)


def test_domain_accuracy_sums_points_per_domain(learner, other_learner):
    surgery = Domain.objects.filter(slug="cpc-surgery-20000")
    both = Domain.objects.filter(slug__in=["cpc-surgery-20000", "cpc-icd-10-cm"])
    GradedResponseFactory(learner=learner, attempt_ref="a", points=1.0, domains=surgery)
    GradedResponseFactory(learner=learner, attempt_ref="b", points=3.0, domains=both)
    GradedResponseFactory(
        learner=other_learner, attempt_ref="c", points=4.0, domains=both
    )
    accuracy = {row.domain.slug: row for row in domain_accuracy_for(learner)}
    assert set(accuracy) == {"cpc-surgery-20000", "cpc-icd-10-cm"}
    surgery_row = accuracy["cpc-surgery-20000"]
    assert (surgery_row.points, surgery_row.max_points) == (4.0, 8.0)
    assert surgery_row.responses == 2 and surgery_row.percentage == 50.0
    assert accuracy["cpc-icd-10-cm"].percentage == 75.0


def test_domain_accuracy_is_three_queries_however_many_rows(
    learner, django_assert_num_queries
):
    """One for the learner's exam attempts (whose review policy decides what
    they may see, grading.visibility), one for their knowledge checks (a check's
    row is withheld until its answer is revealed), one for the accuracy."""
    GradedResponseFactory(learner=learner, attempt_ref="a")
    GradedResponseFactory(learner=learner, attempt_ref="b")
    with django_assert_num_queries(3):
        domain_accuracy_for(learner)
    for ref in "cdef":
        GradedResponseFactory(learner=learner, attempt_ref=ref)
    with django_assert_num_queries(3):
        domain_accuracy_for(learner)
