"""A learner's abilities across an exam's domains, now: a joint, dynamic model.

The ability in domain `d`, `age` days before the newest evidence, is

    theta_d(age) = g + delta_d + gamma * x_d - beta * age / TREND_DAYS

- `g`, the learner's general level now (prior N(0, ABILITY_PRIOR_SD²));
- `beta`, the learner's gain per TREND_DAYS (prior N(0, TREND_PRIOR_SD²)): a
  learner who improves is credited with the level reached, not the average over
  their months of practice, and the uncertainty of that extrapolation to the
  newest evidence widens the interval;
- `x_d`, how much less the learner practised domain `d` than its exam weight,
  `min(0, log((n_d + k) / (N w_d + k)))` centred on the exam's weights, and
  `gamma` its effect (prior N(0, CHOICE_PRIOR_SD²)): learners choose what to
  practise, usually by how strong they feel there, so a barely practised domain
  is not assumed to be like the chosen ones. It is estimated from the learner's
  own responses in the domains they practised least (which tell the direction of
  their choice), and its uncertainty is carried by every thin domain;
- `delta_d`, the domain's own deviation (prior N(0, DOMAIN_SPREAD_SD²)).

All parameters are estimated jointly: the mode of prior × weighted likelihood by
Fisher scoring, and the covariance from the information there (Laplace). Items
can have a guessing floor `c` (multiple choice with 1/options): the probability
of a right answer is `c + (1 - c) logistic(theta - b)` (3PL with the lower
asymptote fixed). The result is each domain's ability now with the full
covariance between domains, which the exam prediction uses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .irt import (
    ABILITY_PRIOR_MEAN,
    ABILITY_PRIOR_SD,
    DOMAIN_SPREAD_SD,
    Gaussian,
    probabilities,
)

TREND_DAYS = 30.0
# A learner's gain per TREND_DAYS, before evidence: most learners improve by
# well under a logit a month.
TREND_PRIOR_SD = 0.5
# How strongly a learner's choice of domains reflects their strength there
# (logits per unit of log practice ratio), before evidence.
CHOICE_PRIOR_SD = 1.0
# Pseudo-count in the practice ratio, so that a domain with no practice is not
# infinitely far from the others.
CHOICE_PSEUDO_COUNT = 2.0
# Variance (logits²) the general level gains per day without evidence: ability
# keeps moving (forgetting, or learning elsewhere) after the last response.
DRIFT_VARIANCE_PER_DAY = 0.3**2 / 90

# The least spread between learners a population prior keeps (logits), so that
# one learner's own evidence can always move their trend and choice.
MIN_POPULATION_SD = 0.05

_STEPS = 50
_TOLERANCE = 1e-8
_MAX_STEP = 2.0
_FIXED = 3  # g, beta, gamma; the domains' deviations follow


@dataclass(frozen=True)
class Population:
    """The priors of every learner's trend and choice effect: how learners in
    general improve and choose, re-estimated from everyone at each
    recalibration (`population_of`)."""

    trend: Gaussian = Gaussian(0.0, TREND_PRIOR_SD)
    choice: Gaussian = Gaussian(0.0, CHOICE_PRIOR_SD)


@dataclass(frozen=True)
class Evidence:
    """One response as one domain sees it: `weight` is its share (split between
    the item's domains, times the time decay), `age_days` its age relative to the
    newest evidence, `floor` the item's guessing floor."""

    domain: str
    difficulty: float
    score: float
    weight: float = 1.0
    age_days: float = 0.0
    floor: float = 0.0


@dataclass(frozen=True)
class LearnerAbility:
    """Each domain's ability now (mean, covariance), the learner's trend (gain
    per TREND_DAYS), their choice effect, and their exam-weighted level."""

    domains: tuple[str, ...]
    mean: np.ndarray
    covariance: np.ndarray
    trend: Gaussian
    choice: Gaussian
    overall: Gaussian

    def domain(self, slug: str) -> Gaussian:
        k = self.domains.index(slug)
        return Gaussian(float(self.mean[k]), math.sqrt(self.covariance[k, k]))

    def at(self, slug: str, age_days: float) -> float:
        """The mean ability in a domain `age_days` before the newest evidence."""
        k = self.domains.index(slug)
        return float(self.mean[k] - self.trend.mean * age_days / TREND_DAYS)

    def later(self, days: float) -> LearnerAbility:
        """The abilities `days` after the newest evidence: the same means (no
        learning is assumed without evidence), wider by the drift of the general
        level."""
        if days <= 0:
            return self
        drift = DRIFT_VARIANCE_PER_DAY * days
        covariance = self.covariance + drift
        overall = Gaussian(self.overall.mean, math.hypot(self.overall.sd, drift**0.5))
        return LearnerAbility(
            self.domains, self.mean, covariance, self.trend, self.choice, overall
        )


def _practice_ratios(
    evidence: Sequence[Evidence], domains: Sequence[str], weights: np.ndarray
) -> np.ndarray:
    """How far each domain was practised less than its exam weight: the log
    practice ratio, capped at zero (practising a domain more than the exam
    weighs it says nothing about the rest), centred on the exam's weights."""
    index = {slug: k for k, slug in enumerate(domains)}
    counts = np.zeros(len(domains))
    for e in evidence:
        counts[index[e.domain]] += 1.0
    # Counted per domain-tag, so an item in two domains counts in both; its
    # weight is split only for the likelihood.
    total = counts.sum()
    if total == 0:
        return counts
    ratios = np.log(
        (counts + CHOICE_PSEUDO_COUNT) / (total * weights + CHOICE_PSEUDO_COUNT)
    )
    under = np.minimum(ratios, 0.0)
    return under - weights @ under


def learner_ability(
    evidence: Sequence[Evidence],
    weights: Mapping[str, float],
    prior: Gaussian | None = None,
    population: Population | None = None,
) -> LearnerAbility:
    """The learner's abilities now in every domain of `weights` (the exam's
    domain weights, which need not add to one)."""
    population = population or Population()
    domains = tuple(weights)
    omega = np.array([float(weights[d]) for d in domains])
    if omega.sum() > 0:
        omega = omega / omega.sum()
    else:
        omega = np.full(len(domains), 1.0 / len(domains))
    prior = prior or Gaussian(ABILITY_PRIOR_MEAN, ABILITY_PRIOR_SD)
    x = _practice_ratios(evidence, domains, omega)
    size = _FIXED + len(domains)
    prior_mean = np.zeros(size)
    prior_mean[:_FIXED] = [prior.mean, population.trend.mean, population.choice.mean]
    prior_precision = np.diag(
        1.0
        / np.array(
            [prior.sd, population.trend.sd, population.choice.sd]
            + [DOMAIN_SPREAD_SD] * len(domains)
        )
        ** 2
    )
    index = {slug: k for k, slug in enumerate(domains)}
    n = len(evidence)
    design = np.zeros((n, size))
    if n:
        rows = np.arange(n)
        cells = np.array([index[e.domain] for e in evidence])
        design[:, 0] = 1.0
        design[:, 1] = -np.array([e.age_days for e in evidence]) / TREND_DAYS
        design[:, 2] = x[cells]
        design[rows, _FIXED + cells] = 1.0
    difficulty = np.array([e.difficulty for e in evidence])
    score = np.array([e.score for e in evidence])
    weight = np.array([e.weight for e in evidence])
    floor = np.array([e.floor for e in evidence])
    parameters = prior_mean.copy()
    information = prior_precision
    for _ in range(_STEPS):
        p, slope = probabilities(design @ parameters - difficulty, floor)
        residual = weight * (score - p) * slope / (p * (1 - p))
        gradient = design.T @ residual - prior_precision @ (parameters - prior_mean)
        information = (
            design.T @ (design * (weight * slope**2 / (p * (1 - p)))[:, None])
            + prior_precision
        )
        step = np.linalg.solve(information, gradient)
        largest = np.abs(step).max()
        if largest > _MAX_STEP:
            step *= _MAX_STEP / largest
        parameters = parameters + step
        if largest < _TOLERANCE:
            break
    covariance_all = np.linalg.inv(information)
    # Each domain's ability now: g + delta_d + gamma * x_d.
    now = np.zeros((len(domains), size))
    now[:, 0] = 1.0
    now[:, 2] = x
    now[np.arange(len(domains)), _FIXED + np.arange(len(domains))] = 1.0
    mean = now @ parameters
    covariance = now @ covariance_all @ now.T
    overall_sd = math.sqrt(max(float(omega @ covariance @ omega), 0.0))
    return LearnerAbility(
        domains=domains,
        mean=mean,
        covariance=covariance,
        trend=Gaussian(float(parameters[1]), math.sqrt(covariance_all[1, 1])),
        choice=Gaussian(float(parameters[2]), math.sqrt(covariance_all[2, 2])),
        overall=Gaussian(float(omega @ mean), overall_sd),
    )


def _between_learners(posteriors: Sequence[Gaussian], prior: Gaussian) -> Gaussian:
    """The spread of a parameter between learners (DerSimonian and Laird's
    moment estimator, 1986) from each learner's posterior under `prior`: the
    prior's information is taken back out to recover what the learner's own
    evidence says, with its precision."""
    precision0 = 1 / prior.sd**2
    own = [
        (
            (g.mean / g.sd**2 - prior.mean * precision0) / information,
            information,
        )
        for g in posteriors
        if (information := 1 / g.sd**2 - precision0) > 1e-6
    ]
    if len(own) < 2:
        return prior
    estimates = np.array([m for m, _ in own])
    weights = np.array([w for _, w in own])
    fixed = float(weights @ estimates / weights.sum())
    q = float(weights @ (estimates - fixed) ** 2)
    scale = weights.sum() - (weights**2).sum() / weights.sum()
    variance = max(MIN_POPULATION_SD**2, (q - (len(own) - 1)) / scale)
    combined = 1 / (1 / weights + variance)
    mean = float(combined @ estimates / combined.sum())
    return Gaussian(mean, math.sqrt(variance))


def population_of(
    abilities: Sequence[LearnerAbility], previous: Population
) -> Population:
    """How learners improve and choose, from their abilities estimated under
    `previous`."""
    return Population(
        trend=_between_learners([a.trend for a in abilities], previous.trend),
        choice=_between_learners([a.choice for a in abilities], previous.choice),
    )
