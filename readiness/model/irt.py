"""Item response model: abilities and item difficulties on one logit scale.

An item's score is the fraction of its points earned, in [0, 1]. It is treated as
a fractional binomial outcome: the log-likelihood of score `s` is
`s log p + (1 - s) log (1 - p)` with `p = c + (1 - c) logistic(theta - b)`, where
`b` is the item's difficulty and `c` its guessing floor: 1/options for a
multiple-choice item (the 3PL model with its lower asymptote fixed, Birnbaum
1968), 0 for a coding item, where nothing can be guessed. For a coding case
scored with partial credit this is the quasi-likelihood of a binomial with the
case's lines as trials, counted as one response: it keeps the expected score `p`
and needs no per-item threshold parameters (a partial-credit model would need
several per item, and most items have too few responses to estimate them), and
counting a case once stays honest when its lines succeed or fail together.

Every estimate is a Gaussian posterior: the mode of prior × weighted likelihood,
found by Fisher scoring, with the sd from the information there (Laplace).
A learner's abilities across domains and over time are in `learner`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# The author's difficulty, as a prior mean in logits, before responses exist.
DIFFICULTY_PRIOR_MEAN = {"beginner": -1.0, "intermediate": 0.0, "advanced": 1.0}
DIFFICULTY_PRIOR_SD = 1.0
ABILITY_PRIOR_MEAN = 0.0
ABILITY_PRIOR_SD = 1.5
# How far a learner's domains stray from their overall ability (logits).
DOMAIN_SPREAD_SD = 0.6
# Older evidence counts less, so a learning curve that is not a straight line is
# still followed; the learner's trend (see `learner`) carries the learning itself.
HALF_LIFE_DAYS = 180.0

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
    how much the response counts (time decay), `floor` the item's guessing floor."""

    other: float
    score: float
    weight: float = 1.0
    floor: float = 0.0


def logistic(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def probabilities(
    logit: np.ndarray, floor: np.ndarray | float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """The probability of a right answer `c + (1 - c) logistic(logit)` and its
    derivative with respect to the logit, kept off 0 and 1."""
    curve = 0.5 * (1.0 + np.tanh(0.5 * logit))
    curve = np.clip(curve, 1e-12, 1 - 1e-12)
    return floor + (1 - floor) * curve, (1 - floor) * curve * (1 - curve)


def decay_weight(age_days: float, half_life_days: float = HALF_LIFE_DAYS) -> float:
    """The weight of evidence `age_days` older than the newest: 1 for the newest,
    one half a half-life earlier."""
    return 0.5 ** (max(age_days, 0.0) / half_life_days)


def guessing_floor(options: int, choose: int = 1, any_number: bool = False) -> float:
    """The chance of a right answer by blind guessing: one option in `options`
    (single best answer), one set of `choose` (choose N, scored all or nothing),
    or one non-empty subset ("choose all that apply")."""
    if options < 2:
        return 0.0
    if any_number:
        return 1 / (2**options - 1)
    return 1 / math.comb(options, max(1, min(choose, options)))


def difficulty_prior(label: str) -> Gaussian:
    """The prior of an item's difficulty from its author's label."""
    return Gaussian(DIFFICULTY_PRIOR_MEAN.get(label, 0.0), DIFFICULTY_PRIOR_SD)


def _posterior(
    observations: Sequence[Observation], prior: Gaussian, sign: float
) -> Gaussian:
    """Fisher scoring on `sign * (x - other)` as the logit; `sign` is +1 for an
    ability and -1 for a difficulty (a harder item lowers the score)."""
    if not observations:
        return prior
    others = np.array([obs.other for obs in observations])
    scores = np.array([obs.score for obs in observations])
    weights = np.array([obs.weight for obs in observations])
    floors = np.array([obs.floor for obs in observations])
    mean, sd = _scoring(
        np.zeros(len(observations), dtype=int),
        sign * others,
        sign,
        scores,
        weights,
        floors,
        np.array([prior.mean]),
        np.array([prior.sd]),
    )
    return Gaussian(float(mean[0]), float(sd[0]))


def _scoring(
    unknown: np.ndarray,
    offset: np.ndarray,
    sign: float,
    scores: np.ndarray,
    weights: np.ndarray,
    floors: np.ndarray,
    prior_means: np.ndarray,
    prior_sds: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Many one-parameter posteriors at once: observation `i` has the logit
    `sign * x[unknown[i]] - offset[i]`. Returns the modes and their sds."""
    size = len(prior_means)
    precision = 1.0 / prior_sds**2
    x = prior_means.astype(float).copy()
    information = precision
    for _ in range(_NEWTON_STEPS):
        p, slope = probabilities(sign * x[unknown] - offset, floors)
        residual = weights * (scores - p) * slope / (p * (1 - p))
        gradient = sign * np.bincount(unknown, residual, size) - precision * (
            x - prior_means
        )
        information = precision + np.bincount(
            unknown, weights * slope**2 / (p * (1 - p)), size
        )
        step = np.clip(gradient / information, -_MAX_STEP, _MAX_STEP)
        x += step
        if np.abs(step).max() < _TOLERANCE:
            break
    return x, 1.0 / np.sqrt(information)


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


def difficulty_posteriors(
    items: np.ndarray,
    abilities: np.ndarray,
    scores: np.ndarray,
    weights: np.ndarray,
    floors: np.ndarray,
    priors: Sequence[Gaussian],
) -> list[Gaussian]:
    """Every item's difficulty at once: response `i` is to item `items[i]` by a
    learner of ability `abilities[i]` at the time."""
    means, sds = _scoring(
        items,
        -abilities,
        -1.0,
        scores,
        weights,
        floors,
        np.array([g.mean for g in priors]),
        np.array([g.sd for g in priors]),
    )
    return [Gaussian(float(m), float(s)) for m, s in zip(means, sds, strict=True)]
