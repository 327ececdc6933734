import random

import pytest

from readiness.model.calibrate import Response, calibrate
from readiness.model.irt import (
    HALF_LIFE_DAYS,
    Gaussian,
    Observation,
    ability_posterior,
    decay_weight,
    difficulty_posterior,
    difficulty_prior,
    guessing_floor,
    logistic,
)


def simulated(theta, n, rng, difficulty_sd=1.0):
    observations = []
    for _ in range(n):
        b = rng.gauss(0, difficulty_sd)
        observations.append(Observation(b, float(rng.random() < logistic(theta - b))))
    return observations


def test_no_responses_leave_the_prior():
    assert ability_posterior([]) == Gaussian(0.0, 1.5)
    prior = Gaussian(0.4, 0.7)
    posterior = ability_posterior([], prior)
    assert (posterior.mean, posterior.sd) == pytest.approx((0.4, 0.7))


def test_ability_recovers_the_truth_and_narrows_with_evidence():
    rng = random.Random(1)
    few = ability_posterior(simulated(1.0, 20, rng))
    many = ability_posterior(simulated(1.0, 2000, rng))
    assert many.sd < few.sd < 1.5
    assert many.mean == pytest.approx(1.0, abs=0.15)


def test_partial_credit_counts_between_wrong_and_right():
    wrong = ability_posterior([Observation(0.0, 0.0)] * 5)
    half = ability_posterior([Observation(0.0, 0.5)] * 5)
    right = ability_posterior([Observation(0.0, 1.0)] * 5)
    assert wrong.mean < half.mean < right.mean
    assert half.mean == pytest.approx(0.0, abs=1e-9)


def test_all_right_stays_finite():
    posterior = ability_posterior([Observation(0.0, 1.0)] * 200)
    assert 0 < posterior.mean < 10


def test_recent_evidence_weighs_more():
    assert decay_weight(0) == 1.0
    assert decay_weight(60, 60) == pytest.approx(0.5)
    old_wrong = [Observation(0.0, 0.0, decay_weight(2 * HALF_LIFE_DAYS))] * 10
    new_right = [Observation(0.0, 1.0, decay_weight(0))] * 10
    assert ability_posterior(old_wrong + new_right).mean > 0.5


def test_harder_items_lower_the_score_in_difficulty_estimates():
    prior = difficulty_prior("intermediate")
    failed = difficulty_posterior([Observation(0.0, 0.0)] * 20, prior)
    passed = difficulty_posterior([Observation(0.0, 1.0)] * 20, prior)
    assert failed.mean > 1 and passed.mean < -1


def test_author_labels_set_the_difficulty_prior():
    assert difficulty_prior("beginner").mean == -1.0
    assert difficulty_prior("intermediate").mean == 0.0
    assert difficulty_prior("advanced").mean == 1.0
    assert difficulty_prior("unknown").mean == 0.0


def test_a_guessing_floor_lowers_the_ability_a_right_answer_shows():
    free = ability_posterior([Observation(0.0, 1.0)] * 5 + [Observation(0.0, 0.0)])
    guessable = ability_posterior(
        [Observation(0.0, 1.0, floor=0.25)] * 5 + [Observation(0.0, 0.0, floor=0.25)]
    )
    assert guessable.mean < free.mean
    chance = ability_posterior([Observation(0.0, 0.25, floor=0.25)] * 40)
    assert chance.mean < -1.5


def test_guessing_floors_of_choice_formats():
    assert guessing_floor(4) == 0.25
    assert guessing_floor(5, choose=2) == pytest.approx(1 / 10)
    assert guessing_floor(3, any_number=True) == pytest.approx(1 / 7)
    assert guessing_floor(1) == 0.0


def test_calibration_moves_difficulties_toward_the_data():
    rng = random.Random(3)
    truth = {"easy": -1.5, "hard": 1.5}
    responses = []
    for learner in range(300):
        theta = rng.gauss(0, 1)
        for item, b in truth.items():
            score = float(rng.random() < logistic(theta - b))
            responses.append(Response(learner, item, ("d",), score))
    priors = {
        "easy": difficulty_prior("advanced"),
        "hard": difficulty_prior("beginner"),
    }
    estimates = calibrate(responses, priors).items
    assert estimates["easy"].mean < -0.8
    assert estimates["hard"].mean > 0.8


def test_unanswered_items_keep_their_prior():
    priors = {"a": difficulty_prior("advanced"), "b": difficulty_prior("beginner")}
    estimates = calibrate([Response(1, "a", ("d",), 1.0)], priors).items
    assert estimates["b"] == priors["b"]
