"""How well predictions came true: a reliability table, the expected calibration
error (ECE), the bias of the predicted score and the coverage of its interval.

Used on the predictions recorded before learners' full-length mock exams (the
instructors' calibration report) and on the benchmark's simulated cohorts, so
both measure the same way.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

BINS = 10


@dataclass(frozen=True)
class Outcome:
    """A prediction (percent, interval, pass probability) and what happened."""

    predicted: float
    low: float
    high: float
    pass_probability: float
    score: float
    passed: bool


@dataclass(frozen=True)
class ReliabilityRow:
    low: float
    high: float
    count: int
    predicted: float
    observed: float


@dataclass(frozen=True)
class CalibrationReport:
    count: int
    rows: list[ReliabilityRow]
    ece: float
    brier: float
    bias: float
    mae: float
    coverage: float
    pass_rate: float


def calibration_report(
    outcomes: Sequence[Outcome], bins: int = BINS
) -> CalibrationReport | None:
    """The report over `outcomes`, or None without any. Predicted pass
    probabilities are grouped in `bins` equal-width bins; the ECE is the
    count-weighted mean gap between predicted and observed pass rates."""
    if not outcomes:
        return None
    rows = []
    for k in range(bins):
        low, high = k / bins, (k + 1) / bins
        inside = [
            o
            for o in outcomes
            if low <= o.pass_probability < high
            or (k == bins - 1 and o.pass_probability >= 1.0)
        ]
        if inside:
            rows.append(
                ReliabilityRow(
                    low=low,
                    high=high,
                    count=len(inside),
                    predicted=statistics.fmean(o.pass_probability for o in inside),
                    observed=statistics.fmean(float(o.passed) for o in inside),
                )
            )
    return CalibrationReport(
        count=len(outcomes),
        rows=rows,
        ece=sum(r.count * abs(r.predicted - r.observed) for r in rows) / len(outcomes),
        brier=statistics.fmean((o.pass_probability - o.passed) ** 2 for o in outcomes),
        bias=statistics.fmean(o.predicted - o.score for o in outcomes),
        mae=statistics.fmean(abs(o.predicted - o.score) for o in outcomes),
        coverage=statistics.fmean(float(o.low <= o.score <= o.high) for o in outcomes),
        pass_rate=statistics.fmean(float(o.passed) for o in outcomes),
    )
