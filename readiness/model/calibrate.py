"""Item difficulties from everyone's responses: alternating estimation.

Abilities are estimated with the current difficulties, then each item's
difficulty is re-estimated (its own MAP, with the author's label as the prior)
with those abilities, a few rounds. An item with few responses stays near its
author's difficulty; with many, the data decides. The scale stays anchored by
the difficulty priors, which centre the intermediate items on zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from .irt import Gaussian, Observation, difficulty_posterior, domain_abilities

ROUNDS = 3


@dataclass(frozen=True)
class Response:
    """One graded response: `domains` are the exam domains the item counts
    toward, `score` the fraction of its points earned, `weight` its time decay."""

    learner: Hashable
    item: Hashable
    domains: tuple[str, ...]
    score: float
    weight: float = 1.0


def learner_abilities(
    responses: Sequence[Response],
    difficulties: dict[Hashable, float],
    domains: Sequence[str] = (),
) -> dict[Hashable, tuple[Gaussian, dict[str, Gaussian]]]:
    """Every learner's overall and per-domain abilities (see `domain_abilities`),
    in every domain they answered in and every one of `domains`."""
    grouped: dict[Hashable, dict[str, list[Observation]]] = defaultdict(
        lambda: {domain: [] for domain in domains}
    )
    for r in responses:
        # An item tagged with several domains is split between them, so that it
        # counts once towards the learner's overall ability.
        share = r.weight / len(r.domains) if r.domains else r.weight
        observation = Observation(difficulties[r.item], r.score, share)
        for domain in r.domains:
            grouped[r.learner].setdefault(domain, []).append(observation)
    return {learner: domain_abilities(by) for learner, by in grouped.items()}


def item_difficulties(
    responses: Sequence[Response],
    abilities: dict[Hashable, tuple[Gaussian, dict[str, Gaussian]]],
    priors: dict[Hashable, Gaussian],
) -> dict[Hashable, Gaussian]:
    """Each item's difficulty given the learners' abilities; an item nobody has
    answered keeps its prior."""
    grouped: dict[Hashable, list[Observation]] = defaultdict(list)
    for r in responses:
        overall, by_domain = abilities[r.learner]
        thetas = [by_domain[d].mean for d in r.domains if d in by_domain]
        theta = sum(thetas) / len(thetas) if thetas else overall.mean
        grouped[r.item].append(Observation(theta, r.score, r.weight))
    return {
        item: difficulty_posterior(grouped[item], prior) if item in grouped else prior
        for item, prior in priors.items()
    }


def calibrate(
    responses: Sequence[Response],
    priors: dict[Hashable, Gaussian],
    rounds: int = ROUNDS,
) -> dict[Hashable, Gaussian]:
    """Item difficulties re-estimated from all responses, starting from `priors`
    (which must name every item answered)."""
    estimates = dict(priors)
    for _ in range(rounds):
        means = {item: g.mean for item, g in estimates.items()}
        abilities = learner_abilities(responses, means)
        estimates = item_difficulties(responses, abilities, priors)
    return estimates
