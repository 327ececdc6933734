"""What the readiness charts show, as plain data for the page: the template
embeds it with `json_script` and readiness/static/readiness/charts.js draws it
with Chart.js. Every chart also has a table, its text alternative, so nothing
here is only drawn."""

from __future__ import annotations

from collections.abc import Sequence


def _percent(value: float) -> float:
    return round(value, 1)


def history_data(snapshots: Sequence, cut: float) -> dict:
    """Per day: the predicted score with its 90% interval and the chance of
    passing (all in percent), and the passing cut."""
    return {
        "cut": _percent(cut),
        "days": [
            {
                "day": s.day.isoformat(),
                "predicted": _percent(s.predicted),
                "low": _percent(s.low),
                "high": _percent(s.high),
                "probability": _percent(100 * s.pass_probability),
                "answers": s.responses,
            }
            for s in snapshots
        ],
    }


def domain_data(rows: Sequence, cut: float) -> dict:
    """Per exam domain: its share of the exam, the expected percent with its 90%
    interval (None before any answer), and whether its evidence is thin."""
    return {
        "cut": _percent(cut),
        "domains": [
            {
                "name": row.domain.name,
                "weight": _percent(float(row.domain.weight)),
                "expected": _percent(row.ability.expected) if row.ability else None,
                "low": _percent(row.ability.low) if row.ability else None,
                "high": _percent(row.ability.high) if row.ability else None,
                "answers": row.ability.responses if row.ability else 0,
                "thin": row.thin,
            }
            for row in rows
        ],
    }


def domain_extremes(rows: Sequence) -> tuple | None:
    """The domains with the highest and the lowest expected percent, for the
    chart's one-sentence summary; None before any estimate."""
    estimated = [row for row in rows if row.ability is not None]
    if not estimated:
        return None
    ranked = sorted(estimated, key=lambda row: row.ability.expected)
    return ranked[-1], ranked[0]
