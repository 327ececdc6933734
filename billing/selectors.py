"""Reads of billing practice: the library, a learner's own attempts, the case
record a claim is built from, and the instructors' queue of appeals to score."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import is_administrator, is_instructor
from billing.models import BillingAttempt, BillingScenarioPage, DenialWork
from case_studies import selectors as case_selectors
from grading.selectors import graded_responses_for
from grading.visibility import shown


@dataclass(frozen=True)
class LibraryEntry:
    scenario: BillingScenarioPage
    attempt: BillingAttempt | None


def published_scenarios() -> QuerySet[BillingScenarioPage]:
    return BillingScenarioPage.objects.live().order_by("path")


def scenario_for_practice(slug: str) -> BillingScenarioPage:
    """A live scenario by slug, or 404."""
    return get_object_or_404(published_scenarios(), slug=slug)


def library_for(learner) -> list[LibraryEntry]:
    """Every live scenario with the learner's latest attempt at it: two queries."""
    latest: dict[int, BillingAttempt] = {}
    for attempt in BillingAttempt.objects.filter(learner=learner).order_by(
        "started_at", "pk"
    ):
        latest[attempt.scenario_id] = attempt
    return [
        LibraryEntry(scenario, latest.get(scenario.pk))
        for scenario in published_scenarios()
    ]


def attempt_for(learner, attempt_id: int) -> BillingAttempt:
    """The learner's own attempt, or 404 (another learner's is not found)."""
    return get_object_or_404(
        BillingAttempt.objects.select_related("scenario", "learner").prefetch_related(
            Prefetch("denials", queryset=DenialWork.objects.order_by("line_number"))
        ),
        pk=attempt_id,
        learner=learner,
    )


def attempts_of(learner) -> QuerySet[BillingAttempt]:
    """Every billing attempt of the learner with its denials worked, oldest first."""
    return (
        BillingAttempt.objects.filter(learner=learner)
        .select_related("scenario")
        .prefetch_related("denials")
        .order_by("started_at", "pk")
    )


def work_for(attempt: BillingAttempt, work_id: int) -> DenialWork:
    return get_object_or_404(DenialWork, pk=work_id, attempt=attempt)


def case_record(slug: str):
    """The published case whose documentation a claim scenario is built from."""
    if not slug:
        return None
    return case_selectors.published_cases().filter(slug=slug).first()


def feedback_by_id(learner, ids, *, viewer) -> dict[int, dict | None]:
    """Graded steps' results as `viewer` may see them, by ledger row id: one
    query for a whole workspace (None ids are skipped)."""
    wanted = [pk for pk in ids if pk is not None]
    if not wanted:
        return {}
    rows = graded_responses_for(learner, viewer=viewer).filter(pk__in=wanted)
    return {row.pk: shown(row, "result") for row in rows}


def may_score_appeals(user) -> bool:
    return is_instructor(user) or is_administrator(user)


def appeals_to_score_for(user) -> QuerySet[DenialWork]:
    """Appeals sent by learners, for instructors: never their own; unscored
    first, oldest first."""
    if not may_score_appeals(user):
        return DenialWork.objects.none()
    return (
        DenialWork.objects.filter(appeal_submitted_at__isnull=False)
        .exclude(attempt__learner=user)
        .select_related("attempt__learner", "attempt__scenario", "scored_by")
        .order_by("scored_at", "appeal_submitted_at", "pk")
    )


def appeal_to_score(user, work_id: int) -> DenialWork:
    return get_object_or_404(appeals_to_score_for(user), pk=work_id)
