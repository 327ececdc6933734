import pytest

from grading.models import GradedResponse
from readiness.models import (
    DomainAbility,
    DomainCalibration,
    ItemCalibration,
    ReadinessSnapshot,
)
from readiness.selectors import READY_PROBABILITY
from readiness.services import (
    items_recalibrate,
    learner_readiness_refresh,
    learner_readiness_refresh_all,
    readiness_history_rebuild,
    readiness_update_for_response,
)

pytestmark = pytest.mark.django_db


def state(learner):
    abilities = list(
        DomainAbility.objects.filter(learner=learner)
        .order_by("domain_id")
        .values("domain_id", "mean", "sd", "responses", "expected", "low", "high")
    )
    snapshots = list(
        ReadinessSnapshot.objects.filter(learner=learner).order_by("day").values()
    )
    return abilities, snapshots


def test_graded_response_queues_an_update_after_commit(
    learner, answer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (row,) = answer(learner)
    assert queued == [row.pk]
    snapshot = ReadinessSnapshot.objects.get(learner=learner)
    assert snapshot.certification.slug == "cpc"
    assert snapshot.responses == 1
    em = DomainAbility.objects.get(
        learner=learner, domain__slug="cpc-evaluation-management"
    )
    assert em.responses == 1 and em.mean > 0


def test_processing_the_same_response_twice_changes_nothing(learner, answer):
    rows = answer(learner, 5) + answer(learner, 5, score=0.0, domain="cpc-anatomy")
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    before = state(learner)
    readiness_update_for_response(graded_response_id=rows[-1].pk)
    readiness_update_for_response(graded_response_id=rows[0].pk)
    assert state(learner) == before
    assert ReadinessSnapshot.objects.filter(learner=learner).count() == 1


def test_a_regrade_replaces_the_earlier_contribution(learner, answer, cpc):
    from grading.factories import ExamItemResponseFactory

    (row,) = answer(learner, score=0.0)
    readiness_update_for_response(graded_response_id=row.pk)
    low = DomainAbility.objects.get(
        learner=learner, domain__slug="cpc-evaluation-management"
    )
    regraded = ExamItemResponseFactory(
        learner=learner,
        attempt_ref=row.attempt_ref,
        domains=cpc.domains.filter(slug="cpc-evaluation-management"),
        points=1.0,
        item_id=row.item_id,
    )
    assert regraded.pk == row.pk and regraded.regraded_count == 1
    readiness_update_for_response(graded_response_id=row.pk)
    high = DomainAbility.objects.get(pk=low.pk)
    assert high.responses == 1
    assert high.mean > low.mean
    same_answer_once = state(learner)
    (fresh,) = answer(learner, score=1.0)
    GradedResponse.objects.filter(pk=fresh.pk).delete()
    readiness_update_for_response(graded_response_id=fresh.pk)
    assert state(learner) == same_answer_once


def test_more_right_answers_raise_the_pass_probability(learner, other_learner, answer):
    weak = answer(other_learner, 30, score=0.0)
    strong = answer(learner, 30, score=1.0)
    readiness_update_for_response(graded_response_id=weak[-1].pk)
    readiness_update_for_response(graded_response_id=strong[-1].pk)
    mine = ReadinessSnapshot.objects.get(learner=learner)
    theirs = ReadinessSnapshot.objects.get(learner=other_learner)
    assert mine.pass_probability > theirs.pass_probability
    assert theirs.low <= theirs.predicted <= theirs.high


def test_thin_evidence_says_how_many_items_are_needed(learner, answer, cpc):
    answer(learner, 2)
    snapshot = learner_readiness_refresh(learner=learner, certification=cpc)
    assert snapshot.items_needed > 0


def test_no_evidence_writes_nothing(learner, cpc):
    assert learner_readiness_refresh(learner=learner, certification=cpc) is None
    assert not DomainAbility.objects.filter(learner=learner).exists()
    assert not ReadinessSnapshot.objects.exists()


def test_recalibration_learns_item_difficulty_from_everyone(
    learner, other_learner, answer, cpc
):
    answer(learner, 7, score=0.0, difficulty="beginner")
    answer(other_learner, 7, score=0.0, difficulty="beginner")
    assert items_recalibrate() == sorted([learner.pk, other_learner.pk])
    calibrations = ItemCalibration.objects.filter(item_type="exam_question")
    assert calibrations.count() == 7
    assert all(c.difficulty > -1.0 and c.responses == 2 for c in calibrations)
    spread = DomainCalibration.objects.get(domain__slug="cpc-evaluation-management")
    assert spread.items == 7
    items_recalibrate()
    assert ItemCalibration.objects.count() == 7
    learner_readiness_refresh_all(learner_id=learner.pk)
    assert ReadinessSnapshot.objects.filter(learner=learner).count() == 1


def test_history_has_one_snapshot_per_day_of_evidence(learner, answer, cpc):
    from datetime import timedelta

    from django.utils import timezone

    old = answer(learner, 3, score=0.0)
    GradedResponse.objects.filter(pk__in=[r.pk for r in old]).update(
        graded_at=timezone.now() - timedelta(days=3)
    )
    answer(learner, 6, score=1.0)
    assert readiness_history_rebuild(learner=learner, certification=cpc) == 2
    first, last = ReadinessSnapshot.objects.filter(learner=learner)
    assert first.responses == 3 and last.responses == 9
    assert first.predicted < last.predicted


def test_an_item_in_several_domains_counts_once(learner, other_learner, cpc):
    # Each item tagged with two domains counts once: the learner is less sure
    # than one who answered ten items in each domain (twenty responses). (Until
    # issue #20 the yardstick was ten items in one domain; the choice-aware model
    # rightly trusts one domain's evidence less about the others.)
    from grading.factories import ExamItemResponseFactory

    two = cpc.domains.filter(slug__in=["cpc-anatomy", "cpc-medicine"])
    for k in range(10):
        ExamItemResponseFactory(
            learner=learner,
            attempt_ref=f"two:{k}",
            domains=two,
            points=1.0,
            item_id=str(k),
        )
        for domain in two:
            ExamItemResponseFactory(
                learner=other_learner,
                attempt_ref=f"one:{domain.pk}:{k}",
                domains=[domain],
                points=1.0,
                item_id=str(k),
            )
    split = learner_readiness_refresh(learner=learner, certification=cpc)
    twice = learner_readiness_refresh(learner=other_learner, certification=cpc)
    assert split.items_needed > twice.items_needed
    anatomy = DomainAbility.objects.get(learner=learner, domain__slug="cpc-anatomy")
    assert anatomy.responses == 10


def test_a_learner_who_drilled_only_their_strengths_is_not_told_they_will_pass(
    learner, answer, cpc
):
    # Right on 26 of 30 in each of three domains, nothing elsewhere: the
    # model before issue #20 gave this learner a 99% chance of passing.
    for domain in ("cpc-evaluation-management", "cpc-anatomy", "cpc-medicine"):
        answer(learner, 26, domain=domain)
        answer(learner, 4, score=0.0, domain=domain)
    snapshot = learner_readiness_refresh(learner=learner, certification=cpc)
    assert snapshot.pass_probability < READY_PROBABILITY
    assert snapshot.items_needed > 0


def test_a_deleted_learners_answers_still_calibrate_as_one_person(
    learner, other_learner, answer
):
    from grading.services import graded_responses_anonymise
    from readiness.models import PopulationCalibration

    answer(learner, 7, score=0.0)
    answer(other_learner, 7, score=1.0)
    graded_responses_anonymise(learner=other_learner)
    assert items_recalibrate() == [learner.pk]
    assert PopulationCalibration.objects.latest().learners == 2
