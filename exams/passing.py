"""A mock exam's passing rule as a plain value: how a percent correct becomes a
scaled score and whether it passes. Pure Python, so readiness's model predicts
against the same rule the exams app scores with; a blueprint
(`exams.models.Blueprint.passing_rule`) is where an exam's rule is set."""

from __future__ import annotations

from dataclasses import dataclass

PERCENT = "percent"
SCALED = "scaled"
# CPC: 70% correct (AAPC); CCS and CCA: a scaled 300 on 100-400 (AHIMA).
DEFAULT_CUT = 70
DEFAULT_SCALED_MIN = 100
DEFAULT_SCALED_MAX = 400


@dataclass(frozen=True)
class PassingRule:
    """`percent`: `cut` is the percent correct needed. `scaled`: `cut` is a scaled
    score, mapped linearly from percent correct onto [scaled_min, scaled_max]
    (0% → scaled_min, 100% → scaled_max)."""

    kind: str = PERCENT
    cut: float = float(DEFAULT_CUT)
    scaled_min: float = float(DEFAULT_SCALED_MIN)
    scaled_max: float = float(DEFAULT_SCALED_MAX)

    @property
    def is_scaled(self) -> bool:
        return self.kind == SCALED

    @property
    def percent_cut(self) -> float:
        """The percent correct that reaches the cut."""
        if self.is_scaled:
            span = self.scaled_max - self.scaled_min
            return 100.0 * (self.cut - self.scaled_min) / span
        return self.cut

    def scaled_score(self, percent: float) -> float | None:
        """The scaled score (one decimal) of `percent` correct, or None under a
        percent rule."""
        if not self.is_scaled:
            return None
        span = self.scaled_max - self.scaled_min
        return round(self.scaled_min + span * percent / 100, 1)

    def passes(self, percent: float) -> bool:
        """Whether `percent` correct passes: its scaled score under a scaled
        rule, the percent itself otherwise, at or above the cut."""
        scaled = self.scaled_score(percent)
        return (percent if scaled is None else scaled) >= self.cut
