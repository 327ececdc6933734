"""Readiness writes: recompute a learner's abilities and readiness from the
grading ledger, and recalibrate item difficulties from everyone's responses.

Everything here is a function of the ledger (and of the current calibrations),
so processing the same graded response twice writes the same values again, and
a regraded response simply replaces its earlier contribution.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from certifications.models import Certification, Domain
from grading.items import ItemRef
from grading.models import GradedResponse
from readiness.model.calibrate import Response, calibrate, evidence_of
from readiness.model.exam import ExamDomain, Prediction, predict
from readiness.model.irt import Gaussian, decay_weight, difficulty_prior
from readiness.model.learner import LearnerAbility, learner_ability
from readiness.models import (
    DomainAbility,
    DomainCalibration,
    ItemCalibration,
    MockExamPrediction,
    PopulationCalibration,
    ReadinessSnapshot,
)
from readiness.selectors import (
    exam_items_for,
    exam_rule_for,
    full_length_blueprint,
    item_floors,
    population,
)

# A domain's exam items are assumed centred on intermediate until enough items
# there are calibrated.
DEFAULT_ITEM_SPREAD = Gaussian(0.0, 1.0)
MIN_ITEMS_FOR_DOMAIN_SPREAD = 5
_SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class _Row:
    """One ledger row as seen from one of its domains."""

    response_id: int
    learner_id: int | None
    # Whose answers these are: the learner, or for a deleted learner's
    # anonymised rows their shared random key (so calibration keeps one
    # person's answers together without naming them).
    person: Hashable
    domain_id: int
    item: ItemRef
    difficulty: str
    score: float
    graded_at: datetime


def _ledger_rows(**filters) -> list[_Row]:
    through = GradedResponse.domains.through
    values = through.objects.filter(gradedresponse__max_points__gt=0, **filters)
    return [
        _Row(
            response_id=v["gradedresponse_id"],
            learner_id=v["gradedresponse__learner_id"],
            person=v["gradedresponse__learner_id"]
            or ("former", v["gradedresponse__former_learner"]),
            domain_id=v["domain_id"],
            item=ItemRef.from_ledger(
                v["gradedresponse__item_type"], v["gradedresponse__item_id"]
            ),
            difficulty=v["gradedresponse__difficulty"],
            score=min(
                1.0,
                max(0.0, v["gradedresponse__points"] / v["gradedresponse__max_points"]),
            ),
            graded_at=v["gradedresponse__graded_at"],
        )
        for v in values.values(
            "gradedresponse_id",
            "gradedresponse__learner_id",
            "gradedresponse__former_learner",
            "domain_id",
            "gradedresponse__item_type",
            "gradedresponse__item_id",
            "gradedresponse__difficulty",
            "gradedresponse__points",
            "gradedresponse__max_points",
            "gradedresponse__graded_at",
        ).order_by("gradedresponse_id", "domain_id")
    ]


def _item_difficulties(rows: list[_Row]) -> dict[ItemRef, float]:
    """Calibrated difficulty of each item, or its author's prior when it has none."""
    items = {row.item: row.difficulty for row in rows}
    calibrated = {
        c.item: c.difficulty
        for c in ItemCalibration.objects.filter(
            item_type__in={item.item_type for item in items},
            item_id__in={item.item_id for item in items},
        )
    }
    return {
        item: calibrated.get(item, difficulty_prior(label).mean)
        for item, label in items.items()
    }


def _ages(rows: list[_Row]) -> dict[int, float]:
    """Each response's age in days, relative to its learner's newest evidence
    (not the wall clock, so recomputing later gives the same answer)."""
    newest: dict[Hashable, datetime] = {}
    for row in rows:
        if row.person not in newest or row.graded_at > newest[row.person]:
            newest[row.person] = row.graded_at
    return {
        row.response_id: (newest[row.person] - row.graded_at).total_seconds()
        / _SECONDS_PER_DAY
        for row in rows
    }


def _responses(rows: list[_Row]) -> list[Response]:
    """One model response per ledger response, with its domains, time decay,
    age and guessing floor."""
    ages = _ages(rows)
    floors = item_floors({row.item for row in rows})
    domains_of: dict[int, list[str]] = defaultdict(list)
    first: dict[int, _Row] = {}
    for row in rows:
        domains_of[row.response_id].append(str(row.domain_id))
        first.setdefault(row.response_id, row)
    return [
        Response(
            learner=row.person,
            item=row.item,
            domains=tuple(domains_of[response_id]),
            score=row.score,
            weight=decay_weight(ages[response_id]),
            age_days=ages[response_id],
            floor=floors[row.item],
        )
        for response_id, row in first.items()
    ]


def readiness_predict(
    *,
    certification: Certification,
    rows: list[_Row],
    days_since_evidence: float = 0.0,
) -> tuple[LearnerAbility, Prediction]:
    """Abilities and the exam prediction from one learner's ledger rows, as of
    `days_since_evidence` after the newest of them (the interval widens)."""
    domains = list(certification.domains.all())
    difficulties = _item_difficulties(rows)
    evidence = [
        e
        for response in _responses(rows)
        for e in evidence_of(response, difficulties[response.item])
    ]
    ability = learner_ability(
        evidence,
        {str(d.pk): float(d.weight) for d in domains},
        population=population(),
    ).later(days_since_evidence)
    spreads = {
        c.domain_id: Gaussian(c.difficulty_mean, c.difficulty_sd)
        for c in DomainCalibration.objects.filter(domain__in=domains)
    }
    rule, exam_items = exam_rule_for(certification)
    prediction = predict(
        [
            ExamDomain(
                slug=d.slug,
                weight=float(d.weight),
                ability=ability.domain(str(d.pk)),
                items=spreads.get(d.pk, DEFAULT_ITEM_SPREAD),
            )
            for d in domains
        ],
        rule,
        ability.covariance,
        exam_items,
        exam_items_for(certification),
    )
    return ability, prediction


@transaction.atomic
def learner_readiness_refresh(
    *, learner, certification: Certification, as_of: datetime | None = None
) -> ReadinessSnapshot | None:
    """Recompute a learner's readiness for a certification from the ledger.

    With `as_of`, only evidence graded by then counts and only that day's
    snapshot is written (to rebuild the history); without it, the domain
    abilities are stored too. Returns the snapshot, or None without evidence.
    """
    filters = {
        "gradedresponse__learner": learner,
        "domain__certification": certification,
    }
    if as_of is not None:
        filters["gradedresponse__graded_at__lte"] = as_of
    rows = _ledger_rows(**filters)
    if not rows:
        if as_of is None:
            DomainAbility.objects.filter(
                learner=learner, domain__certification=certification
            ).delete()
        return None
    ability, prediction = readiness_predict(certification=certification, rows=rows)
    if as_of is None:
        counts: dict[int, set[int]] = defaultdict(set)
        for row in rows:
            counts[row.domain_id].add(row.response_id)
        mastery = {m.slug: m for m in prediction.domains}
        for domain in certification.domains.all():
            m = mastery[domain.slug]
            DomainAbility.objects.update_or_create(
                learner=learner,
                domain=domain,
                defaults={
                    "mean": ability.domain(str(domain.pk)).mean,
                    "sd": ability.domain(str(domain.pk)).sd,
                    "responses": len(counts[domain.pk]),
                    "expected": m.expected,
                    "low": m.low,
                    "high": m.high,
                },
            )
    newest = max(row.graded_at for row in rows)
    snapshot, _ = ReadinessSnapshot.objects.update_or_create(
        learner=learner,
        certification=certification,
        day=timezone.localdate(newest),
        defaults={
            "predicted": prediction.predicted,
            "low": prediction.low,
            "high": prediction.high,
            "pass_probability": prediction.pass_probability,
            "items_needed": prediction.items_needed,
            "responses": len({row.response_id for row in rows}),
        },
    )
    return snapshot


def readiness_update_for_response(*, graded_response_id: int) -> None:
    """Update readiness after a graded (or regraded) response: every
    certification the response counts toward is recomputed for its learner.
    Idempotent; a response that no longer exists is ignored."""
    response = (
        GradedResponse.objects.filter(pk=graded_response_id)
        .select_related("learner")
        .first()
    )
    if response is None:
        return
    certifications = Certification.objects.filter(
        domains__graded_responses=response
    ).distinct()
    for certification in certifications:
        learner_readiness_refresh(learner=response.learner, certification=certification)


def readiness_history_rebuild(*, learner, certification: Certification) -> int:
    """Rewrite the learner's daily snapshots, each from the evidence up to the end
    of its day (after a recalibration, or for the demo). Returns the number of
    snapshots written."""
    rows = _ledger_rows(
        gradedresponse__learner=learner, domain__certification=certification
    )
    days = sorted({timezone.localdate(row.graded_at) for row in rows})
    ReadinessSnapshot.objects.filter(
        learner=learner, certification=certification
    ).exclude(day__in=days).delete()
    zone = timezone.get_current_timezone()
    for day in days:
        end = datetime.combine(day, datetime.max.time()).replace(tzinfo=zone)
        learner_readiness_refresh(
            learner=learner, certification=certification, as_of=end
        )
    learner_readiness_refresh(learner=learner, certification=certification)
    return len(days)


@transaction.atomic
def items_recalibrate() -> list[int]:
    """Re-estimate every answered item's difficulty from all learners' responses
    (the author's difficulty as the prior), and each domain's spread of item
    difficulty. Returns the ids of learners whose readiness should be refreshed."""
    rows = _ledger_rows()
    if not rows:
        return []
    responses = _responses(rows)
    priors = {row.item: difficulty_prior(row.difficulty) for row in rows}
    weights = {
        str(domain.pk): float(domain.weight)
        for domain in Domain.objects.filter(pk__in={row.domain_id for row in rows})
    }
    calibration = calibrate(responses, priors, weights=weights)
    estimates = calibration.items
    answered: dict[ItemRef, int] = defaultdict(int)
    for response in responses:
        answered[response.item] += 1
    now = timezone.now()
    ItemCalibration.objects.bulk_create(
        [
            ItemCalibration(
                item_type=item.item_type,
                item_id=item.item_id,
                difficulty=g.mean,
                sd=g.sd,
                responses=answered[item],
                calibrated_at=now,
            )
            for item, g in estimates.items()
        ],
        update_conflicts=True,
        unique_fields=["item_type", "item_id"],
        update_fields=["difficulty", "sd", "responses", "calibrated_at"],
    )
    population = calibration.population
    PopulationCalibration.objects.create(
        trend_mean=population.trend.mean,
        trend_sd=population.trend.sd,
        choice_mean=population.choice.mean,
        choice_sd=population.choice.sd,
        learners=len({row.person for row in rows}),
        calibrated_at=now,
    )
    items_by_domain: dict[int, set[ItemRef]] = defaultdict(set)
    for row in rows:
        items_by_domain[row.domain_id].add(row.item)
    for domain_id, items in items_by_domain.items():
        if len(items) < MIN_ITEMS_FOR_DOMAIN_SPREAD:
            continue
        means = [estimates[item].mean for item in items]
        spread = statistics.pvariance(means) + statistics.fmean(
            estimates[item].sd ** 2 for item in items
        )
        DomainCalibration.objects.update_or_create(
            domain_id=domain_id,
            defaults={
                "difficulty_mean": statistics.fmean(means),
                "difficulty_sd": math.sqrt(spread),
                "items": len(items),
            },
        )
    return sorted({row.learner_id for row in rows if row.learner_id is not None})


def learner_readiness_refresh_all(*, learner_id: int) -> None:
    """Recompute a learner's readiness for every certification they have
    evidence in (after a recalibration)."""
    certifications = Certification.objects.filter(
        domains__graded_responses__learner_id=learner_id
    ).distinct()
    learner = get_user_model().objects.get(pk=learner_id)
    for certification in certifications:
        learner_readiness_refresh(learner=learner, certification=certification)


def mock_prediction_record(*, attempt) -> MockExamPrediction | None:
    """Record, once, the readiness prediction made just before a graded
    full-length mock exam (from the evidence graded before the attempt started,
    as of its start) next to the score obtained. Attempts at shorter mock exams,
    ungraded attempts and learners without earlier evidence are skipped."""
    from exams.models import Attempt

    certification = attempt.blueprint.certification
    blueprint = full_length_blueprint(certification)
    if (
        attempt.status != Attempt.Status.GRADED
        or attempt.percent is None
        or blueprint is None
        or blueprint.pk != attempt.blueprint_id
    ):
        return None
    rows = _ledger_rows(
        gradedresponse__learner_id=attempt.learner_id,
        gradedresponse__graded_at__lt=attempt.started_at,
        domain__certification=certification,
    )
    if not rows:
        return None
    newest = max(row.graded_at for row in rows)
    _, prediction = readiness_predict(
        certification=certification,
        rows=rows,
        days_since_evidence=(attempt.started_at - newest).total_seconds()
        / _SECONDS_PER_DAY,
    )
    record, _ = MockExamPrediction.objects.get_or_create(
        attempt=attempt,
        defaults={
            "learner_id": attempt.learner_id,
            "certification": certification,
            "predicted": prediction.predicted,
            "low": prediction.low,
            "high": prediction.high,
            "pass_probability": prediction.pass_probability,
            "model_sd": prediction.model_sd,
            "responses": len({row.response_id for row in rows}),
            "score": attempt.percent,
            "passed": bool(attempt.passed),
            "sat_at": attempt.started_at,
        },
    )
    return record


def mock_prediction_record_for_response(*, graded_response_id: int) -> None:
    """After a mock-exam item is graded: record its attempt's prediction if the
    attempt is a graded full-length mock exam not recorded yet (idempotent)."""
    from exams.models import Attempt
    from exams.selectors import attempt_id_of_ledger_ref

    attempt_ref = (
        GradedResponse.objects.filter(
            pk=graded_response_id, source=GradedResponse.Source.EXAM_ITEM
        )
        .values_list("attempt_ref", flat=True)
        .first()
    )
    attempt_id = attempt_id_of_ledger_ref(attempt_ref) if attempt_ref else None
    if attempt_id is None:
        return
    if MockExamPrediction.objects.filter(attempt_id=attempt_id).exists():
        return
    attempt = (
        Attempt.objects.filter(pk=attempt_id)
        .select_related("blueprint__certification")
        .first()
    )
    if attempt is not None:
        with transaction.atomic():
            mock_prediction_record(attempt=attempt)


def mock_prediction_score_refresh(*, attempt) -> int:
    """After a graded mock exam was regraded (an answer key changed): the score
    and pass/fail recorded next to its prediction follow the attempt's new ones;
    the prediction itself, made before the attempt, stays. Returns the number of
    records changed (0 or 1)."""
    return (
        MockExamPrediction.objects.filter(attempt=attempt)
        .exclude(score=attempt.percent, passed=bool(attempt.passed))
        .update(score=attempt.percent, passed=bool(attempt.passed))
    )
