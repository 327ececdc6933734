"""A fractional Rasch model: abilities and item difficulties on one logit scale.

An item's score is the fraction of its points earned, in [0, 1]. It is treated as
a fractional binomial outcome: the log-likelihood of score `s` on an item of
difficulty `b` for ability `theta` is `s log p + (1 - s) log (1 - p)` with
`p = logistic(theta - b)`. For a multiple-choice item (0 or 1) this is the Rasch
model; for a coding case scored with partial credit it is the quasi-likelihood of
a Rasch binomial with the case's lines as trials, which keeps the expected score
`p` and needs no per-item threshold parameters (a partial-credit model would need
several per item, and most items have too few responses to estimate them).

Every estimate is a Gaussian posterior: the mode of prior × weighted likelihood,
found by Newton's method, with the sd from the curvature there (Laplace).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The author's difficulty, as a prior mean in logits, before responses exist.
DIFFICULTY_PRIOR_MEAN = {"beginner": -1.0, "intermediate": 0.0, "advanced": 1.0}
DIFFICULTY_PRIOR_SD = 1.0
ABILITY_PRIOR_MEAN = 0.0
ABILITY_PRIOR_SD = 1.5
# How far a learner's domains stray from their overall ability (logits).
DOMAIN_SPREAD_SD = 0.6
HALF_LIFE_DAYS = 60.0

_NEWTON_STEPS = 30
_TOLERANCE = 1e-8
_MAX_STEP = 2.0


@dataclass(frozen=True)
class Gaussian:
    mean: float
    sd: float


@dataclass(frozen=True)
class Observation:
    """One scored response seen from the unknown's side: `other` is the known
    parameter (the item's difficulty when estimating an ability, the learner's
    ability when estimating a difficulty), `score` the fraction earned, `weight`
    how much the response counts (time decay)."""

    other: float
    score: float
    weight: float = 1.0


def logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def decay_weight(age_days: float, half_life_days: float = HALF_LIFE_DAYS) -> float:
    """The weight of evidence `age_days` older than the newest: 1 for the newest,
    one half a half-life earlier."""
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def difficulty_prior(label: str) -> Gaussian:
    """The prior of an item's difficulty from its author's label."""
    return Gaussian(DIFFICULTY_PRIOR_MEAN.get(label, 0.0), DIFFICULTY_PRIOR_SD)


def _posterior(
    observations: Sequence[Observation], prior: Gaussian, sign: float
) -> Gaussian:
    """Newton's method on `sign * (x - other)` as the logit; `sign` is +1 for an
    ability and -1 for a difficulty (a harder item lowers the score)."""
    precision0 = 1.0 / prior.sd**2
    x = prior.mean
    curvature = precision0
    for _ in range(_NEWTON_STEPS):
        gradient = -(x - prior.mean) * precision0
        curvature = precision0
        for obs in observations:
            p = logistic(sign * (x - obs.other))
            gradient += sign * obs.weight * (obs.score - p)
            curvature += obs.weight * p * (1.0 - p)
        step = max(-_MAX_STEP, min(_MAX_STEP, gradient / curvature))
        x += step
        if abs(step) < _TOLERANCE:
            break
    return Gaussian(x, 1.0 / math.sqrt(curvature))


def ability_posterior(
    observations: Sequence[Observation], prior: Gaussian | None = None
) -> Gaussian:
    """A learner's ability given responses to items of known difficulty."""
    prior = prior or Gaussian(ABILITY_PRIOR_MEAN, ABILITY_PRIOR_SD)
    return _posterior(observations, prior, 1.0)


def difficulty_posterior(
    observations: Sequence[Observation], prior: Gaussian
) -> Gaussian:
    """An item's difficulty given responses from learners of known ability."""
    return _posterior(observations, prior, -1.0)


def domain_abilities(
    by_domain: dict[str, Sequence[Observation]],
    prior: Gaussian | None = None,
    spread_sd: float = DOMAIN_SPREAD_SD,
) -> tuple[Gaussian, dict[str, Gaussian]]:
    """A learner's overall ability and one ability per domain.

    Each domain's prior is centred on the ability shown in the learner's other
    domains (leaving its own responses out, so they are not counted twice) with
    `spread_sd` added: a domain with few responses borrows strength from the
    others instead of falling back to the cohort's average.
    """
    pooled = [obs for observations in by_domain.values() for obs in observations]
    overall = ability_posterior(pooled, prior)
    estimates = {}
    for slug, observations in by_domain.items():
        others = [
            obs
            for other_slug, rest in by_domain.items()
            if other_slug != slug
            for obs in rest
        ]
        rest = ability_posterior(others, prior)
        domain_prior = Gaussian(rest.mean, math.hypot(rest.sd, spread_sd))
        estimates[slug] = ability_posterior(observations, domain_prior)
    return overall, estimates


def weighted(
    responses: Iterable[tuple[float, float, float]],
    half_life_days: float = HALF_LIFE_DAYS,
) -> list[Observation]:
    """Observations from `(other, score, age_days)` triples, decayed by age."""
    return [
        Observation(other, score, decay_weight(age, half_life_days))
        for other, score, age in responses
    ]
