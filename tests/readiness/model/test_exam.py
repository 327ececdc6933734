import numpy as np
import pytest

from readiness.model.exam import (
    ITEMS_NEEDED_CAP,
    SCORE_SD_TARGET,
    ExamDomain,
    ExamItems,
    PassingRule,
    answers_to_begin,
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
    needs = [items_needed(exam(0.5, sd)) for sd in (1.5, 1.0, 0.6)]
    assert needs[0] > needs[1] > needs[2]


def test_items_needed_stop_at_the_cap():
    # Near-certain answers on 17 domains tell little: uncapped, 483 items.
    assert items_needed(exam(8.0, 8.0, weights=(1,) * 17)) == ITEMS_NEEDED_CAP


def test_an_estimate_begins_at_two_answers_per_domain_and_at_least_thirty():
    assert answers_to_begin(17) == 34
    assert answers_to_begin(5) == 30


def test_domain_mastery_has_an_interval_and_thin_flag():
    domains = [
        ExamDomain("known", 50, Gaussian(1.0, 0.2)),
        ExamDomain("unknown", 50, Gaussian(1.0, 1.4)),
    ]
    known, unknown = predict(domains, PassingRule()).domains
    assert known.low < known.expected < known.high
    assert not known.thin and unknown.thin
    assert unknown.high - unknown.low > known.high - known.low


def test_weights_need_not_add_to_one_hundred():
    assert predict(exam(1, 0.3, (3, 2)), PassingRule()).predicted == pytest.approx(
        predict(exam(1, 0.3, (60, 40)), PassingRule()).predicted
    )


def test_an_all_multiple_choice_exam_counts_its_guessing_floor():
    free = predict(exam(-0.5, 0.3), PassingRule())
    choice = predict(exam(-0.5, 0.3), PassingRule(), exam=ExamItems(1.0, 0.25))
    assert choice.predicted == pytest.approx(25 + 0.75 * free.predicted, abs=0.5)
    assert choice.pass_probability > free.pass_probability
    assert choice.domains[0].low >= 25


def test_correlated_domains_widen_the_score_more_than_independent_ones():
    domains = exam(0.8, 0.5)
    independent = predict(domains, PassingRule(), np.diag([0.25, 0.25]))
    shared = predict(domains, PassingRule(), np.full((2, 2), 0.25))
    assert shared.model_sd > independent.model_sd
    assert shared.high - shared.low > independent.high - independent.low


def test_the_same_evidence_gives_the_same_prediction():
    assert predict(exam(0.3, 0.6), PassingRule()) == predict(
        exam(0.3, 0.6), PassingRule()
    )
