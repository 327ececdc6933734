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
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from certifications.models import Certification
from grading.models import GradedResponse
from readiness.model.calibrate import Response, calibrate
from readiness.model.exam import ExamDomain, Prediction, predict
from readiness.model.irt import (
    Gaussian,
    Observation,
    decay_weight,
    difficulty_prior,
    domain_abilities,
)
from readiness.models import (
    DomainAbility,
    DomainCalibration,
    ItemCalibration,
    ReadinessSnapshot,
)
from readiness.selectors import exam_rule_for

# A domain's exam items are assumed centred on intermediate until enough items
# there are calibrated.
DEFAULT_ITEM_SPREAD = Gaussian(0.0, 1.0)
MIN_ITEMS_FOR_DOMAIN_SPREAD = 5
_SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class _Row:
    """One ledger row as seen from one of its domains."""

    response_id: int
    learner_id: int
    domain_id: int
    item: tuple[str, str]
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
            domain_id=v["domain_id"],
            item=(v["gradedresponse__item_type"], v["gradedresponse__item_id"]),
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
            "domain_id",
            "gradedresponse__item_type",
            "gradedresponse__item_id",
            "gradedresponse__difficulty",
            "gradedresponse__points",
            "gradedresponse__max_points",
            "gradedresponse__graded_at",
        ).order_by("gradedresponse_id", "domain_id")
    ]


def _item_difficulties(rows: list[_Row]) -> dict[tuple[str, str], float]:
    """Calibrated difficulty of each item, or its author's prior when it has none."""
    items = {row.item: row.difficulty for row in rows}
    calibrated = {
        (c.item_type, c.item_id): c.difficulty
        for c in ItemCalibration.objects.filter(
            item_type__in={t for t, _ in items}, item_id__in={i for _, i in items}
        )
    }
    return {
        item: calibrated.get(item, difficulty_prior(label).mean)
        for item, label in items.items()
    }


def _weights(rows: list[_Row]) -> dict[int, float]:
    """Time decay per response, relative to the learner's newest evidence."""
    newest: dict[int, datetime] = {}
    for row in rows:
        if row.learner_id not in newest or row.graded_at > newest[row.learner_id]:
            newest[row.learner_id] = row.graded_at
    return {
        row.response_id: decay_weight(
            (newest[row.learner_id] - row.graded_at).total_seconds() / _SECONDS_PER_DAY
        )
        for row in rows
    }


def readiness_predict(
    *, certification: Certification, rows: list[_Row]
) -> tuple[Gaussian, dict[int, Gaussian], Prediction]:
    """Abilities and the exam prediction from one learner's ledger rows."""
    domains = list(certification.domains.all())
    difficulties = _item_difficulties(rows)
    weights = _weights(rows)
    tagged: dict[int, int] = defaultdict(int)
    for row in rows:
        tagged[row.response_id] += 1
    by_domain: dict[int, list[Observation]] = {d.pk: [] for d in domains}
    for row in rows:
        # An item tagged with several domains is split between them, so that it
        # counts once towards the learner's overall ability.
        weight = weights[row.response_id] / tagged[row.response_id]
        by_domain[row.domain_id].append(
            Observation(difficulties[row.item], row.score, weight)
        )
    overall, abilities = domain_abilities(by_domain)
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
                ability=abilities[d.pk],
                items=spreads.get(d.pk, DEFAULT_ITEM_SPREAD),
            )
            for d in domains
        ],
        rule,
        overall,
        exam_items,
    )
    return overall, abilities, prediction


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
    _, abilities, prediction = readiness_predict(certification=certification, rows=rows)
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
                    "mean": abilities[domain.pk].mean,
                    "sd": abilities[domain.pk].sd,
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
    weights = _weights(rows)
    domains_of: dict[int, list[str]] = defaultdict(list)
    first: dict[int, _Row] = {}
    for row in rows:
        domains_of[row.response_id].append(str(row.domain_id))
        first.setdefault(row.response_id, row)
    responses = [
        Response(
            learner=row.learner_id,
            item=row.item,
            domains=tuple(domains_of[response_id]),
            score=row.score,
            weight=weights[response_id],
        )
        for response_id, row in first.items()
    ]
    priors = {row.item: difficulty_prior(row.difficulty) for row in rows}
    estimates = calibrate(responses, priors)
    answered: dict[tuple[str, str], int] = defaultdict(int)
    for response in responses:
        answered[response.item] += 1
    now = timezone.now()
    ItemCalibration.objects.bulk_create(
        [
            ItemCalibration(
                item_type=item_type,
                item_id=item_id,
                difficulty=g.mean,
                sd=g.sd,
                responses=answered[(item_type, item_id)],
                calibrated_at=now,
            )
            for (item_type, item_id), g in estimates.items()
        ],
        update_conflicts=True,
        unique_fields=["item_type", "item_id"],
        update_fields=["difficulty", "sd", "responses", "calibrated_at"],
    )
    items_by_domain: dict[int, set[tuple[str, str]]] = defaultdict(set)
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
    return sorted({row.learner_id for row in rows})


def learner_readiness_refresh_all(*, learner_id: int) -> None:
    """Recompute a learner's readiness for every certification they have
    evidence in (after a recalibration)."""
    certifications = Certification.objects.filter(
        domains__graded_responses__learner_id=learner_id
    ).distinct()
    learner = get_user_model().objects.get(pk=learner_id)
    for certification in certifications:
        learner_readiness_refresh(learner=learner, certification=certification)
