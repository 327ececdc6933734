"""The passing rule attempts are scored with and readiness predicts against."""

import pytest

from exams.passing import PassingRule

SCALED = PassingRule("scaled", 300.0, 100.0, 400.0)


def test_a_percent_rule_passes_at_the_cut_and_has_no_scaled_score():
    rule = PassingRule("percent", 70.0)
    assert rule.passes(70.0) and not rule.passes(69.99)
    assert rule.scaled_score(70.0) is None and rule.percent_cut == 70.0


@pytest.mark.parametrize(
    ("percent", "scaled", "passes"),
    [(0.0, 100.0, False), (66.6, 299.8, False), (66.67, 300.0, True), (100, 400, True)],
)
def test_a_scaled_rule_maps_percent_onto_its_range(percent, scaled, passes):
    assert SCALED.scaled_score(percent) == scaled
    assert SCALED.passes(percent) is passes


def test_a_scaled_cut_is_its_percent_correct():
    assert SCALED.percent_cut == pytest.approx(200 / 3)
