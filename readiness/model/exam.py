"""From domain abilities to an exam: predicted score, pass probability, mastery.

The exam is a blueprint: domains with weights (shares of the items), a number of
items and a passing rule. An exam item in a domain has a difficulty drawn from
that domain's item distribution (in practice the calibrated difficulties of the
items learners practise on), so a learner of ability `theta` expects the share
`f(theta) = E_b[logistic(theta - b)]` of a domain's items, computed with MacKay's
probit approximation. The score on a real sitting varies for two reasons, both
counted: the ability is uncertain (posterior), and a sitting has finitely many
items (binomial noise). The pass probability is the normal approximation of
that score distribution, with a continuity correction, at the passing cut.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

from .irt import Gaussian, logistic

EXAM_ITEMS = 100
INTERVAL = 0.90
# The model's own uncertainty on the predicted score (percentage points) above
# which the estimate is reported as "not enough evidence yet".
SCORE_SD_TARGET = 4.0
# A domain whose ability sd (logits) is above this is reported as thin.
DOMAIN_SD_TARGET = 0.8
_QUADRATURE_POINTS = 25
_MAX_ITEMS_NEEDED = 5000
_STANDARD = NormalDist()
_Z = _STANDARD.inv_cdf(0.5 + INTERVAL / 2)
_NODES = [
    _STANDARD.inv_cdf((k + 0.5) / _QUADRATURE_POINTS) for k in range(_QUADRATURE_POINTS)
]


@dataclass(frozen=True)
class PassingRule:
    """`percent`: `cut` is the percent correct needed. `scaled`: `cut` is a scaled
    score, mapped linearly from percent correct onto [scaled_min, scaled_max] as
    the mock exams score it (0% → scaled_min, 100% → scaled_max)."""

    kind: str = "percent"
    cut: float = 70.0
    scaled_min: float = 100.0
    scaled_max: float = 400.0

    @property
    def percent_cut(self) -> float:
        if self.kind == "scaled":
            span = self.scaled_max - self.scaled_min
            return 100.0 * (self.cut - self.scaled_min) / span
        return self.cut


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


def expected_share(theta: float, items: Gaussian) -> float:
    """The expected share of a domain's items answered right at ability `theta`."""
    return logistic((theta - items.mean) / math.sqrt(1 + math.pi * items.sd**2 / 8))


def _moments(ability: Gaussian, items: Gaussian) -> tuple[float, float, float]:
    """Mean and variance over the posterior of the expected share, and the mean
    per-item binomial variance."""
    shares = [expected_share(ability.mean + ability.sd * z, items) for z in _NODES]
    mean = sum(shares) / len(shares)
    variance = sum((share - mean) ** 2 for share in shares) / len(shares)
    noise = sum(share * (1 - share) for share in shares) / len(shares)
    return mean, variance, noise


def _model_variance(
    weights: Sequence[float], variances: Sequence[float], shared: float
) -> float:
    """The variance of the weighted score when domain estimates correlate by
    `shared` (they share the learner's overall ability)."""
    sds = [w * math.sqrt(v) for w, v in zip(weights, variances, strict=True)]
    independent = sum(sd * sd for sd in sds)
    return independent + shared * (sum(sds) ** 2 - independent)


def _shared(overall: Gaussian | None, domains: Sequence[ExamDomain]) -> float:
    if overall is None or not domains:
        return 0.0
    mean_variance = sum(d.ability.sd**2 for d in domains) / len(domains)
    return min(1.0, overall.sd**2 / mean_variance)


def _normalised(domains: Sequence[ExamDomain]) -> list[float]:
    total = sum(d.weight for d in domains)
    return [d.weight / total for d in domains]


def predict(
    domains: Sequence[ExamDomain],
    rule: PassingRule,
    overall: Gaussian | None = None,
    exam_items: int = EXAM_ITEMS,
) -> Prediction:
    """The learner's predicted score on one sitting of the exam (percent), its
    interval, the probability of passing, and mastery per domain."""
    weights = _normalised(domains)
    moments = [_moments(d.ability, d.items) for d in domains]
    shared = _shared(overall, domains)
    mean = sum(w * m for w, (m, _, _) in zip(weights, moments, strict=True))
    model_var = _model_variance(weights, [v for _, v, _ in moments], shared)
    noise_var = sum(w * n for w, (_, _, n) in zip(weights, moments, strict=True))
    sd = math.sqrt(model_var + noise_var / exam_items)
    cut = rule.percent_cut / 100
    continuity = 0.5 / exam_items
    if sd > 0:
        pass_probability = 1 - _STANDARD.cdf((cut - continuity - mean) / sd)
    else:
        pass_probability = float(mean >= cut)
    mastery = [
        DomainMastery(
            slug=d.slug,
            weight=d.weight,
            expected=100 * m,
            low=100 * expected_share(d.ability.mean - _Z * d.ability.sd, d.items),
            high=100 * expected_share(d.ability.mean + _Z * d.ability.sd, d.items),
            thin=d.ability.sd > DOMAIN_SD_TARGET,
        )
        for d, (m, _, _) in zip(domains, moments, strict=True)
    ]
    return Prediction(
        predicted=100 * mean,
        low=100 * max(0.0, mean - _Z * sd),
        high=100 * min(1.0, mean + _Z * sd),
        pass_probability=pass_probability,
        model_sd=100 * math.sqrt(model_var),
        items_needed=items_needed(domains, overall, weights, shared),
        domains=mastery,
    )


def _score_sd_after(
    extra: int,
    domains: Sequence[ExamDomain],
    weights: Sequence[float],
    shared: float,
) -> float:
    variances = []
    for d, w in zip(domains, weights, strict=True):
        share = expected_share(d.ability.mean, d.items)
        information = share * (1 - share)
        sd = 1 / math.sqrt(1 / d.ability.sd**2 + extra * w * information)
        variances.append(_moments(Gaussian(d.ability.mean, sd), d.items)[1])
    return 100 * math.sqrt(_model_variance(weights, variances, shared))


def items_needed(
    domains: Sequence[ExamDomain],
    overall: Gaussian | None,
    weights: Sequence[float] | None = None,
    shared: float | None = None,
) -> int:
    """About how many more practice items, spread like the exam, bring the
    model's uncertainty on the score down to `SCORE_SD_TARGET` (0 if it is
    already there)."""
    weights = weights if weights is not None else _normalised(domains)
    shared = shared if shared is not None else _shared(overall, domains)
    if _score_sd_after(0, domains, weights, shared) <= SCORE_SD_TARGET:
        return 0
    low, high = 0, _MAX_ITEMS_NEEDED
    if _score_sd_after(high, domains, weights, shared) > SCORE_SD_TARGET:
        return high
    while high - low > 1:
        middle = (low + high) // 2
        if _score_sd_after(middle, domains, weights, shared) <= SCORE_SD_TARGET:
            high = middle
        else:
            low = middle
    return high
