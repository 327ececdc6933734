"""Reads of the grading ledger and of scoring policies."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from certifications.models import Domain
from grading.engine import POLICIES, SchemaError, ScoringPolicy
from grading.exceptions import GradingInputError
from grading.models import GradedResponse, ScoringPolicyDefinition
from grading.visibility import WITHHELD, with_visibility

UNKNOWN_POLICY = "Unknown scoring policy {name!r}: use one of {choices}."
BROKEN_POLICY = "The scoring policy {name!r} is not usable: {problems}."


def policy_named(name: str) -> ScoringPolicy:
    """The built-in or instructor-defined policy called `name`.

    Raises `GradingInputError` on the field `policy` when there is none.
    """
    if isinstance(name, str) and name in POLICIES:
        return POLICIES[name]
    definition = None
    if isinstance(name, str):
        definition = ScoringPolicyDefinition.objects.filter(name=name).first()
    if definition is None:
        choices = ", ".join(policy.name for policy in policies_available())
        message = UNKNOWN_POLICY.format(name=name, choices=choices)
        raise GradingInputError([("policy", message)])
    try:
        return definition.as_policy()
    except SchemaError as error:
        message = BROKEN_POLICY.format(name=name, problems=error)
        raise GradingInputError([("policy", message)]) from None


def policies_available() -> list[ScoringPolicy]:
    """The built-in policies, then every instructor-defined one that is usable."""
    policies = list(POLICIES.values())
    for definition in ScoringPolicyDefinition.objects.all():
        try:
            policies.append(definition.as_policy())
        except SchemaError:
            continue
    return policies


def graded_responses_for(learner, *, viewer=None) -> QuerySet[GradedResponse]:
    """The learner's ledger rows, newest first, with their domains, each marked
    with what `viewer` (by default the learner) may see of it
    (`grading.visibility`)."""
    rows = GradedResponse.objects.filter(learner=learner).prefetch_related("domains")
    return with_visibility(rows, viewer=viewer or learner, learner=learner)


def graded_response_for(
    learner, graded_response_id: int, *, viewer=None
) -> GradedResponse:
    """One of the learner's own rows, marked as `graded_responses_for` does;
    anyone else's is a 404."""
    return get_object_or_404(
        graded_responses_for(learner, viewer=viewer), pk=graded_response_id
    )


@dataclass(frozen=True)
class DomainAccuracy:
    domain: Domain
    points: float
    max_points: float
    responses: int

    @property
    def percentage(self) -> float:
        if not self.max_points:
            return 0.0
        return round(100 * self.points / self.max_points, 2)


def domain_accuracy_for(learner, *, source: str | None = None) -> list[DomainAccuracy]:
    """Points earned over points possible in each exam domain the learner has
    answered in, in the certifications' outline order (one query), counting only
    answers whose points the learner may see: an exam item whose review is not
    open would otherwise show through a domain it alone fills. With `source`
    (a `GradedResponse.Source`), only the answers of that kind."""
    shown = graded_responses_for(learner).filter(**{WITHHELD: ""})
    if source is not None:
        shown = shown.filter(source=source)
    shown = shown.values("pk")
    domains = (
        Domain.objects.filter(graded_responses__in=shown)
        .select_related("certification")
        .annotate(
            earned=Sum("graded_responses__points"),
            possible=Sum("graded_responses__max_points"),
            answered=Count("graded_responses"),
        )
        .order_by("certification__abbreviation", "sort_order", "name")
    )
    return [
        DomainAccuracy(domain, domain.earned, domain.possible, domain.answered)
        for domain in domains
    ]
