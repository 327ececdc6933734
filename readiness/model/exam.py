"""From domain abilities to an exam: predicted score, pass probability, mastery.

The exam is a blueprint: domains with weights (shares of the items), a number of
items, a passing rule, and its kind of items (`ExamItems`: the share that is
multiple choice, and their guessing floor). An exam item in a domain has a
difficulty drawn from that domain's item distribution (in practice the
calibrated difficulties of the items learners practise on), so a learner of
ability `theta` expects the share
`f(theta) = c + (1 - c) E_b[logistic(theta - b)]` of a domain's items, with
MacKay's probit approximation for the expectation and `c` the exam's guessing
floor (CPC: all four-option multiple choice, so 0.25), whatever the mix of items
the learner practised on. The score on a real sitting varies for two reasons,
both counted: the abilities are uncertain (their joint posterior, including the
learner's trend and choice of domains, integrated over fixed normal draws), and
a sitting has finitely many items (binomial noise). The pass probability and the
interval come from that mixture, with a continuity correction at the cut.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np

from exams.passing import PassingRule

from .irt import Gaussian, logistic

# The number of scored items when no mock exam gives one (the CPC's 100).
EXAM_ITEMS = 100
INTERVAL = 0.90
# The model's own uncertainty on the predicted score (percentage points) above
# which the estimate is reported as "not enough evidence yet".
SCORE_SD_TARGET = 4.0
# A domain whose ability sd (logits) is above this is reported as thin.
DOMAIN_SD_TARGET = 0.8
# An estimate begins at this many graded answers per exam domain, and never at
# fewer than ANSWERS_TO_BEGIN_MIN: before, the posterior is still mostly the
# prior, and the items it would need are an extrapolation of the prior's
# variance rather than of the learner's evidence (three answers once gave
# "about 924 more items").
ANSWERS_PER_DOMAIN_TO_BEGIN = 2
ANSWERS_TO_BEGIN_MIN = 30
# Three full-length exams' worth: further out, a count of items would be an
# extrapolation too, so `items_needed` stops here and is reported as "more than".
ITEMS_NEEDED_CAP = 300
_DRAWS = 400
_DRAWS_SEED = 20261203
_BISECTIONS = 40
_STANDARD = NormalDist()
_ERFC_FIT = (
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
)
_Z = _STANDARD.inv_cdf(0.5 + INTERVAL / 2)


@dataclass(frozen=True)
class ExamItems:
    """The exam's items: `choice_share` of them multiple choice with the guessing
    floor `floor` (1/options), the rest free entry (coding, nothing to guess)."""

    choice_share: float = 0.0
    floor: float = 0.0

    @property
    def guess(self) -> float:
        """The share of a domain's items answered right by a learner who knows
        none of them."""
        return self.choice_share * self.floor


FREE_ENTRY = ExamItems()


@dataclass(frozen=True)
class ExamDomain:
    slug: str
    weight: float
    ability: Gaussian
    items: Gaussian = Gaussian(0.0, 1.0)


@dataclass(frozen=True)
class DomainMastery:
    slug: str
    weight: float
    expected: float
    low: float
    high: float
    thin: bool


@dataclass(frozen=True)
class Prediction:
    predicted: float
    low: float
    high: float
    pass_probability: float
    model_sd: float
    items_needed: int
    domains: list[DomainMastery]

    @property
    def enough_evidence(self) -> bool:
        return self.items_needed == 0


def expected_share(theta: float, items: Gaussian, guess: float = 0.0) -> float:
    """The expected share of a domain's items answered right at ability `theta`."""
    known = logistic((theta - items.mean) / math.sqrt(1 + math.pi * items.sd**2 / 8))
    return guess + (1 - guess) * known


@lru_cache(maxsize=16)
def _draws(dimension: int) -> np.ndarray:
    """Fixed standard normal draws (antithetic pairs), so that the same evidence
    always gives the same prediction."""
    half = np.random.default_rng(_DRAWS_SEED).standard_normal((_DRAWS // 2, dimension))
    return np.vstack([half, -half])


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    """The standard normal CDF (erfc by its Chebyshev fit, relative error below
    1.2e-7; Press et al., Numerical Recipes, 2nd ed., 6.2)."""
    z = np.abs(x) / math.sqrt(2)
    t = 1 / (1 + 0.5 * z)
    poly = np.zeros_like(t)
    for coefficient in reversed(_ERFC_FIT):
        poly = coefficient + t * poly
    tail = 0.5 * t * np.exp(-z * z + poly)
    return np.where(x >= 0, 1 - tail, tail)


def _shares(
    means: np.ndarray,
    covariance: np.ndarray,
    domains: Sequence[ExamDomain],
    guess: float,
) -> np.ndarray:
    """Each domain's expected share of exam items, at each fixed draw of the
    abilities from their joint posterior."""
    root = np.linalg.cholesky(covariance + 1e-12 * np.eye(len(means)))
    thetas = means + _draws(len(means)) @ root.T
    centre = np.array([d.items.mean for d in domains])
    scale = np.sqrt(1 + math.pi * np.array([d.items.sd for d in domains]) ** 2 / 8)
    known = 0.5 * (1 + np.tanh(0.5 * (thetas - centre) / scale))
    return guess + (1 - guess) * known


def _covariance(
    domains: Sequence[ExamDomain], covariance: np.ndarray | None
) -> np.ndarray:
    if covariance is not None:
        return np.asarray(covariance, dtype=float)
    return np.diag([d.ability.sd**2 for d in domains])


def _normalised(domains: Sequence[ExamDomain]) -> np.ndarray:
    weights = np.array([float(d.weight) for d in domains])
    return weights / weights.sum()


def _quantiles(
    scores: np.ndarray, sds: np.ndarray, levels: Sequence[float]
) -> list[float]:
    """Quantiles of the score on a sitting: a mixture of normals, one per draw."""
    result = []
    for level in levels:
        low, high = 0.0, 1.0
        for _ in range(_BISECTIONS):
            middle = (low + high) / 2
            if _normal_cdf((middle - scores) / sds).mean() < level:
                low = middle
            else:
                high = middle
        result.append((low + high) / 2)
    return result


def predict(
    domains: Sequence[ExamDomain],
    rule: PassingRule,
    covariance: np.ndarray | None = None,
    exam_items: int = EXAM_ITEMS,
    exam: ExamItems = FREE_ENTRY,
) -> Prediction:
    """The learner's predicted score on one sitting of the exam (percent), its
    interval, the probability of passing, and mastery per domain. `covariance`
    is the joint posterior covariance of the domain abilities (in the order of
    `domains`); without it they are taken as independent."""
    weights = _normalised(domains)
    means = np.array([d.ability.mean for d in domains])
    covariance = _covariance(domains, covariance)
    shares = _shares(means, covariance, domains, exam.guess)
    scores = shares @ weights
    sitting_sd = np.sqrt(
        np.maximum((shares * (1 - shares)) @ weights, 1e-12) / exam_items
    )
    cut = rule.percent_cut / 100
    continuity = 0.5 / exam_items
    pass_probability = float(
        (1 - _normal_cdf((cut - continuity - scores) / sitting_sd)).mean()
    )
    low, high = _quantiles(scores, sitting_sd, ((1 - INTERVAL) / 2, (1 + INTERVAL) / 2))
    expected = shares.mean(axis=0)
    mastery = [
        DomainMastery(
            slug=d.slug,
            weight=d.weight,
            expected=100 * float(expected[k]),
            low=100
            * expected_share(d.ability.mean - _Z * d.ability.sd, d.items, exam.guess),
            high=100
            * expected_share(d.ability.mean + _Z * d.ability.sd, d.items, exam.guess),
            thin=d.ability.sd > DOMAIN_SD_TARGET,
        )
        for k, d in enumerate(domains)
    ]
    return Prediction(
        predicted=100 * float(scores.mean()),
        low=100 * low,
        high=100 * high,
        pass_probability=pass_probability,
        model_sd=100 * float(scores.std()),
        items_needed=items_needed(domains, covariance, weights, exam),
        domains=mastery,
    )


def answers_to_begin(domains: int) -> int:
    """The graded answers an estimate begins at, for an exam of `domains`
    domains (CPC, 17: 34; CCS and CCA: 30)."""
    return max(ANSWERS_TO_BEGIN_MIN, ANSWERS_PER_DOMAIN_TO_BEGIN * domains)


def _score_sd(
    domains: Sequence[ExamDomain],
    means: np.ndarray,
    covariance: np.ndarray,
    weights: np.ndarray,
    guess: float,
) -> float:
    return 100 * float((_shares(means, covariance, domains, guess) @ weights).std())


def items_needed(
    domains: Sequence[ExamDomain],
    covariance: np.ndarray | None = None,
    weights: np.ndarray | None = None,
    exam: ExamItems = FREE_ENTRY,
) -> int:
    """About how many more practice items, spread like the exam, bring the
    model's uncertainty on the score (every uncertainty of the abilities: their
    evidence, the learner's trend and choice of domains) down to
    `SCORE_SD_TARGET` (0 if it is already there). Each item adds Fisher
    information `p(1 - p)` at the current estimate to its domain's ability now.
    Stops at ITEMS_NEEDED_CAP: that many may still not be enough."""
    weights = weights if weights is not None else _normalised(domains)
    covariance = _covariance(domains, covariance)
    means = np.array([d.ability.mean for d in domains])
    information = np.array(
        [
            (share := expected_share(d.ability.mean, d.items)) * (1 - share)
            for d in domains
        ]
    )

    def sd_after(extra: int) -> float:
        after = covariance
        if extra > 0:
            # The posterior after `extra` items, in covariance form (no inverse
            # of the covariance, which can be near singular).
            noise = np.diag(1 / np.maximum(extra * weights * information, 1e-12))
            gain = covariance @ np.linalg.inv(covariance + noise)
            after = covariance - gain @ covariance
        return _score_sd(domains, means, after, weights, exam.guess)

    if sd_after(0) <= SCORE_SD_TARGET:
        return 0
    low, high = 0, ITEMS_NEEDED_CAP
    if sd_after(high) > SCORE_SD_TARGET:
        return high
    while high - low > 1:
        middle = (low + high) // 2
        if sd_after(middle) <= SCORE_SD_TARGET:
            high = middle
        else:
            low = middle
    return high
