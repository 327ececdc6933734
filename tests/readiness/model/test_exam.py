import pytest

from readiness.model.exam import (
    SCORE_SD_TARGET,
    ExamDomain,
    PassingRule,
    expected_share,
    items_needed,
    predict,
)
from readiness.model.irt import Gaussian


def exam(mean, sd, weights=(60, 40)):
    return [
        ExamDomain(f"d{k}", weight, Gaussian(mean, sd))
        for k, weight in enumerate(weights)
    ]


def test_scaled_cut_maps_linearly_to_percent():
    assert PassingRule("scaled", 300, 100, 400).percent_cut == pytest.approx(
        66.667, 1e-3
    )
    assert PassingRule("percent", 70).percent_cut == 70


def test_strong_learner_passes_weak_fails():
    strong = predict(exam(3.0, 0.2), PassingRule())
    weak = predict(exam(-1.0, 0.2), PassingRule())
    assert strong.pass_probability > 0.95 and weak.pass_probability < 0.05
    assert strong.low <= strong.predicted <= strong.high


def test_pass_probability_is_one_half_at_the_cut():
    ability = 0.0
    while expected_share(ability, Gaussian(0, 1)) < 0.705:
        ability += 0.001
    prediction = predict(exam(ability, 0.01), PassingRule(cut=70.5))
    assert prediction.pass_probability == pytest.approx(0.5, abs=0.05)


def test_wide_posteriors_need_more_items():
    sure = predict(exam(1.0, 0.1), PassingRule())
    unsure = predict(exam(1.0, 1.5), PassingRule())
    assert sure.items_needed == 0 and sure.enough_evidence
    assert unsure.items_needed > 0 and not unsure.enough_evidence
    assert unsure.high - unsure.low > sure.high - sure.low
    assert unsure.model_sd > SCORE_SD_TARGET >= sure.model_sd


def test_items_needed_falls_as_evidence_grows():
    needs = [items_needed(exam(0.5, sd), None) for sd in (1.5, 1.0, 0.6)]
    assert needs[0] > needs[1] > needs[2]


def test_domain_mastery_has_an_interval_and_thin_flag():
    domains = [
        ExamDomain("known", 50, Gaussian(1.0, 0.2)),
        ExamDomain("unknown", 50, Gaussian(1.0, 1.4)),
    ]
    known, unknown = predict(domains, PassingRule(), Gaussian(1.0, 0.2)).domains
    assert known.low < known.expected < known.high
    assert not known.thin and unknown.thin
    assert unknown.high - unknown.low > known.high - known.low


def test_weights_need_not_add_to_one_hundred():
    assert predict(exam(1, 0.3, (3, 2)), PassingRule()).predicted == pytest.approx(
        predict(exam(1, 0.3, (60, 40)), PassingRule()).predicted
    )
