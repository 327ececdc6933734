"""Geometry of the readiness plots, drawn as inline SVG by the templates (no
JavaScript, no external library; every plot also has a table)."""

from __future__ import annotations

from collections.abc import Sequence

WIDTH = 640
HEIGHT = 220
LEFT = 44
RIGHT = 12
TOP = 12
BOTTOM = 28
ROW = 30


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    if count <= 1:
        return LEFT + span / 2
    return round(LEFT + span * index / (count - 1), 1)


def _y(percent: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return round(TOP + span * (1 - max(0.0, min(100.0, percent)) / 100), 1)


def _points(pairs: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in pairs)


def history_chart(snapshots: Sequence, cut: float) -> dict:
    """The predicted score with its interval band and the pass probability over
    time, on a 0-100 scale, with the passing cut as a line."""
    count = len(snapshots)
    xs = [_x(i, count) for i in range(count)]
    upper = [(x, _y(s.high)) for x, s in zip(xs, snapshots, strict=True)]
    lower = [(x, _y(s.low)) for x, s in zip(xs, snapshots, strict=True)]
    step = max(1, count // 6)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "band": _points(upper + lower[::-1]),
        "score": _points(
            [(x, _y(s.predicted)) for x, s in zip(xs, snapshots, strict=True)]
        ),
        "probability": _points(
            [
                (x, _y(100 * s.pass_probability))
                for x, s in zip(xs, snapshots, strict=True)
            ]
        ),
        "dots": [
            {"x": x, "y": _y(s.predicted), "p": _y(100 * s.pass_probability)}
            for x, s in zip(xs, snapshots, strict=True)
        ],
        "cut_y": _y(cut),
        "y_ticks": [{"y": _y(v), "label": f"{v}%"} for v in (0, 25, 50, 75, 100)],
        "x_ticks": [
            {"x": xs[i], "label": snapshots[i].day.strftime("%d %b")}
            for i in range(0, count, step)
        ],
        "text_y": HEIGHT - 8,
    }


def domain_chart(rows: Sequence, cut: float) -> dict:
    """Per domain: the expected percent as a bar with its interval as a whisker,
    and the domain's exam weight as a thin bar under it (weights scaled so the
    largest fills a quarter of the width)."""
    left, span = 8, WIDTH - 16
    largest = max((float(r.domain.weight) for r in rows), default=1.0) or 1.0
    bars = []
    for index, row in enumerate(rows):
        top = TOP + index * ROW
        bar = {"y": top, "label_y": top - 2, "row": row}
        if row.ability is not None:
            bar |= {
                "width": round(span * row.ability.expected / 100, 1),
                "low": round(left + span * row.ability.low / 100, 1),
                "high": round(left + span * row.ability.high / 100, 1),
                "mid": top + 6,
            }
        bar["weight_width"] = round(span / 4 * float(row.domain.weight) / largest, 1)
        bar["weight_y"] = top + 14
        bars.append(bar)
    height = TOP + ROW * len(rows) + 4
    return {
        "width": WIDTH,
        "height": height,
        "left": left,
        "bars": bars,
        "cut_x": round(left + span * cut / 100, 1),
        "bottom": height,
    }
