"""Item difficulties from everyone's responses: alternating estimation.

Abilities are estimated with the current difficulties, then each item's
difficulty is re-estimated (its own MAP, with the author's label as the prior)
with those abilities, a few rounds. An item with few responses stays near its
author's difficulty; with many, the data decides. Each response is explained by
the learner's ability at the time it was given (their trend, see `learner`), so a
learner who improved does not make the items they met early look harder. The
scale stays anchored by the difficulty priors, which centre the intermediate
items on zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .irt import Gaussian, difficulty_posteriors
from .learner import (
    Evidence,
    LearnerAbility,
    Population,
    learner_ability,
    population_of,
)

ROUNDS = 3


@dataclass(frozen=True)
class Response:
    """One graded response: `domains` are the exam domains the item counts
    toward, `score` the fraction of its points earned, `weight` its time decay,
    `age_days` its age relative to the learner's newest response, `floor` the
    item's guessing floor."""

    learner: Hashable
    item: Hashable
    domains: tuple[str, ...]
    score: float
    weight: float = 1.0
    age_days: float = 0.0
    floor: float = 0.0


def evidence_of(response: Response, difficulty: float) -> list[Evidence]:
    """The response as each of its domains sees it. An item tagged with several
    domains is split between them, so that it counts once towards the learner's
    general level."""
    share = response.weight / len(response.domains)
    return [
        Evidence(
            domain=domain,
            difficulty=difficulty,
            score=response.score,
            weight=share,
            age_days=response.age_days,
            floor=response.floor,
        )
        for domain in response.domains
    ]


def learner_abilities(
    responses: Sequence[Response],
    difficulties: Mapping[Hashable, float],
    weights: Mapping[str, float] | None = None,
    every_domain: bool = False,
    population: Population | None = None,
) -> dict[Hashable, LearnerAbility]:
    """Every learner's abilities in the domains they answered in, weighted by
    `weights` (the exams' domain weights; equal without them), and with
    `every_domain` in every domain of `weights` too (a learner preparing for one
    exam is not judged on another exam's domains they never touched)."""
    grouped: dict[Hashable, list[Evidence]] = defaultdict(list)
    for r in responses:
        grouped[r.learner] += evidence_of(r, difficulties[r.item])
    result = {}
    for learner, evidence in grouped.items():
        names = {e.domain for e in evidence} | set(
            weights if weights and every_domain else ()
        )
        result[learner] = learner_ability(
            evidence,
            {name: weights[name] if weights else 1.0 for name in sorted(names)},
            population=population,
        )
    return result


def item_difficulties(
    responses: Sequence[Response],
    abilities: Mapping[Hashable, LearnerAbility],
    priors: Mapping[Hashable, Gaussian],
) -> dict[Hashable, Gaussian]:
    """Each item's difficulty given the learners' abilities at the time of each
    response; an item nobody has answered keeps its prior."""
    items = list(priors)
    index = {item: k for k, item in enumerate(items)}
    thetas = []
    for r in responses:
        ability = abilities[r.learner]
        at = [ability.at(d, r.age_days) for d in r.domains]
        thetas.append(sum(at) / len(at))
    estimates = difficulty_posteriors(
        np.array([index[r.item] for r in responses], dtype=int),
        np.array(thetas),
        np.array([r.score for r in responses]),
        np.array([r.weight for r in responses]),
        np.array([r.floor for r in responses]),
        [priors[item] for item in items],
    )
    return dict(zip(items, estimates, strict=True))


@dataclass(frozen=True)
class Calibration:
    items: dict[Hashable, Gaussian]
    population: Population


def calibrate(
    responses: Sequence[Response],
    priors: Mapping[Hashable, Gaussian],
    rounds: int = ROUNDS,
    weights: Mapping[str, float] | None = None,
) -> Calibration:
    """Item difficulties re-estimated from all responses, starting from `priors`
    (which must name every item answered), and the population's trend and
    choice priors (empirical Bayes) re-estimated with them."""
    estimates = dict(priors)
    population = Population()
    for _ in range(rounds):
        means = {item: g.mean for item, g in estimates.items()}
        abilities = learner_abilities(responses, means, weights, population=population)
        estimates = item_difficulties(responses, abilities, priors)
        population = population_of(list(abilities.values()), population)
    return Calibration(estimates, population)
