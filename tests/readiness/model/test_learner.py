import random

import pytest

from readiness.model.exam import ExamDomain, PassingRule, predict
from readiness.model.irt import Gaussian, logistic
from readiness.model.learner import (
    Evidence,
    Population,
    learner_ability,
    population_of,
)
from readiness.model.validation import Outcome, calibration_report

WEIGHTS = {f"d{k}": 1.0 for k in range(8)}


def answers(rng, domain, theta, n, age=(0, 0), floor=0.0):
    """`n` responses in `domain` to items of difficulty N(0, 1), the ability
    moving linearly from `theta(age)`, ages drawn uniformly in `age`."""
    rows = []
    for _ in range(n):
        b = rng.gauss(0, 1)
        days = rng.uniform(*age)
        p = floor + (1 - floor) * logistic(theta(days) - b)
        rows.append(Evidence(domain, b, float(rng.random() < p), 1.0, days, floor))
    return rows


def test_an_improving_learner_is_credited_with_the_level_reached():
    rng = random.Random(1)
    # From -1 logit 90 days ago to +1 now, in every domain.
    evidence = [
        e
        for domain in WEIGHTS
        for e in answers(rng, domain, lambda days: 1 - 2 * days / 90, 40, (0, 90))
    ]
    ability = learner_ability(evidence, WEIGHTS)
    assert ability.trend.mean > 0.4
    assert ability.overall.mean == pytest.approx(1.0, abs=0.35)
    assert ability.at("d0", 90) < ability.domain("d0").mean - 1


def test_the_interval_widens_with_the_time_since_the_evidence():
    rng = random.Random(2)
    evidence = [e for d in WEIGHTS for e in answers(rng, d, lambda _: 0.8, 20)]
    now = learner_ability(evidence, WEIGHTS)
    later = now.later(120)
    assert later.domain("d0").mean == now.domain("d0").mean
    assert later.domain("d0").sd > now.domain("d0").sd
    assert now.later(0) is now

    def interval(ability):
        domains = [
            ExamDomain(slug, 1.0, ability.domain(slug)) for slug in ability.domains
        ]
        p = predict(domains, PassingRule(), ability.covariance)
        return p.high - p.low

    assert interval(later) > interval(now)


def test_a_barely_practised_domain_is_not_assumed_like_the_chosen_ones():
    rng = random.Random(3)
    chosen = ["d0", "d1"]
    strong = [e for d in chosen for e in answers(rng, d, lambda _: 2.0, 60)]
    weak = [
        e
        for d in WEIGHTS
        if d not in chosen
        for e in answers(rng, d, lambda _: -0.5, 3)
    ]
    ability = learner_ability(strong + weak, WEIGHTS)
    # The few answers elsewhere say the learner chose their strengths: the
    # thin domains sit well below the chosen ones, not at their level.
    assert ability.choice.mean > 0
    assert ability.domain("d5").mean < ability.domain("d0").mean - 1.0
    assert ability.domain("d5").sd > ability.domain("d0").sd


def test_a_learner_who_drilled_only_their_strengths_is_not_told_they_will_pass():
    rng = random.Random(4)
    evidence = [e for d in ("d0", "d1") for e in answers(rng, d, lambda _: 2.5, 80)]
    ability = learner_ability(evidence, WEIGHTS)
    domains = [ExamDomain(slug, 1.0, ability.domain(slug)) for slug in ability.domains]
    prediction = predict(domains, PassingRule(), ability.covariance)
    assert prediction.pass_probability < 0.8
    assert not prediction.enough_evidence


def test_a_guessing_floor_is_not_mistaken_for_ability():
    rng = random.Random(5)
    evidence = [
        e for d in WEIGHTS for e in answers(rng, d, lambda _: -2.0, 30, floor=0.25)
    ]
    assert learner_ability(evidence, WEIGHTS).overall.mean < -1.2


def test_the_population_priors_follow_how_learners_improve():
    rng = random.Random(6)
    abilities = []
    for _ in range(40):
        gain = rng.gauss(1.0, 0.1)
        evidence = [
            e
            for d in WEIGHTS
            for e in answers(
                rng, d, lambda days, g=gain: g * (1 - days / 30), 10, (0, 60)
            )
        ]
        abilities.append(learner_ability(evidence, WEIGHTS))
    population = population_of(abilities, Population())
    assert population.trend.mean == pytest.approx(1.0, abs=0.25)
    assert population.trend.sd < 0.3
    assert population.choice.mean == pytest.approx(0, abs=0.3)


def test_calibration_report_measures_what_came_true():
    outcomes = [
        Outcome(75, 65, 85, 0.9, 80, True),
        Outcome(75, 65, 85, 0.9, 60, False),
        Outcome(50, 40, 60, 0.05, 55, False),
    ]
    report = calibration_report(outcomes)
    assert report.count == 3
    assert [(r.count, r.observed) for r in report.rows] == [(1, 0.0), (2, 0.5)]
    assert report.ece == pytest.approx((0.05 + 2 * 0.4) / 3)
    assert report.bias == pytest.approx((-5 + 15 - 5) / 3)
    assert report.coverage == pytest.approx(2 / 3)
    assert calibration_report([]) is None


def test_gaussian_domains_without_covariance_still_predict():
    domains = [ExamDomain("a", 1.0, Gaussian(1.0, 0.3))]
    assert predict(domains, PassingRule()).pass_probability > 0.5
