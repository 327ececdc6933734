"""Classical test theory statistics of a test's items, in plain Python.

The input is a matrix of scores, one row per learner (or attempt) and one column
per item, each score the fraction of the item's points earned (0 to 1, so partial
credit counts), or None where the learner was not given the item (a random draw,
a case not attempted). Optionally, the options each learner chose per item and
the seconds they spent on it. docs/instructors.md ("Item analysis") gives every
formula and its Moodle counterpart.

Where a learner has not answered every item, a learner's *total* is the mean of
the items they answered and the *rest score* for an item the mean of the others
they answered. With a complete matrix both are the plain sum scaled by a
constant, which changes no correlation and no ranking, so the results are those
of the usual sum-score definitions.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from statistics import median

GROUP_SHARE = 0.27
HARD_FACILITY = 0.2
EASY_FACILITY = 0.95
PROVISIONAL_BELOW = 10

NEGATIVE_DISCRIMINATION = "negative_discrimination"
DISTRACTOR_BEATS_KEY = "distractor_beats_key"
TOO_HARD = "too_hard"
TOO_EASY = "too_easy"
PROVISIONAL = "provisional"

NEGATIVE_DISCRIMINATION_REASON = (
    "Negative discrimination ({value:.3f}): learners who did well on the rest "
    "of the test did worse on this item; check the key."
)
DISTRACTOR_BEATS_KEY_REASON = (
    "Option {option} was chosen by more of the upper group ({share:.0%}) than "
    "the key ({key_share:.0%}): it may be a second right answer or the key wrong."
)
TOO_HARD_REASON = "Very hard: facility {value:.3f} is below {limit}."
TOO_EASY_REASON = "Very easy: facility {value:.3f} is above {limit}."
PROVISIONAL_REASON = (
    "Only {count} responses: the statistics are provisional until there are {limit}."
)


@dataclass(frozen=True)
class ItemSpec:
    """One column of the matrix: its id, and for a choice item its option ids
    (in display order) and which of them are keys."""

    key: str
    options: tuple[str, ...] = ()
    correct: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Flag:
    kind: str
    reason: str


@dataclass(frozen=True)
class OptionStatistics:
    """How often an option was chosen, overall and in the upper and lower
    groups (None when the item has too few responses to form groups)."""

    option: str
    correct: bool
    share: float
    upper_share: float | None
    lower_share: float | None


@dataclass(frozen=True)
class ItemStatistics:
    key: str
    responses: int
    facility: float | None
    sd: float | None
    point_biserial: float | None
    discrimination_index: float | None
    median_time: float | None
    options: tuple[OptionStatistics, ...] = ()
    flags: tuple[Flag, ...] = ()

    @property
    def provisional(self) -> bool:
        return any(flag.kind == PROVISIONAL for flag in self.flags)

    @property
    def flagged(self) -> bool:
        """Whether a flag other than "provisional" asks for a look at the item."""
        return any(flag.kind != PROVISIONAL for flag in self.flags)


@dataclass(frozen=True)
class TestStatistics:
    """`mean` and `sd` are of every learner's total score (the sum of their
    fractions); `alpha` and `sem` of the learners who answered every item, and
    None with fewer than two of them or fewer than two items."""

    __test__ = False  # a name pytest would otherwise collect

    learners: int
    items: int
    mean: float | None
    sd: float | None
    alpha: float | None
    sem: float | None
    complete_learners: int


@dataclass(frozen=True)
class Analysis:
    test: TestStatistics
    items: tuple[ItemStatistics, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        """JSON-ready, with each item's `flagged` and `provisional`, and the
        number of items flagged."""
        data = asdict(self)
        for item, stats in zip(data["items"], self.items, strict=True):
            item["flagged"] = stats.flagged
            item["provisional"] = stats.provisional
        data["flagged_count"] = sum(stats.flagged for stats in self.items)
        return data


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def sample_variance(values: Sequence[float]) -> float | None:
    """The variance with n − 1 in the denominator; None below two values."""
    if len(values) < 2:
        return None
    centre = sum(values) / len(values)
    return sum((value - centre) ** 2 for value in values) / (len(values) - 1)


def sample_sd(values: Sequence[float]) -> float | None:
    variance = sample_variance(values)
    return None if variance is None else math.sqrt(variance)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None below two pairs or when either side does not vary."""
    if len(xs) < 2:
        return None
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def group_size(count: int) -> int:
    """Learners in each of the upper and lower groups: 27% of `count`, rounded
    half up, at least one."""
    return max(1, math.floor(GROUP_SHARE * count + 0.5))


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """α = k/(k−1) · (1 − Σ item variances / total variance) over complete
    rows; equal to KR-20 when every score is 0 or 1."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    item_variances = sum(sample_variance([row[i] for row in rows]) for i in range(k))
    total_variance = sample_variance([sum(row) for row in rows])
    if not total_variance:
        return None
    return k / (k - 1) * (1 - item_variances / total_variance)


def _test_statistics(scores: Sequence[Sequence[float | None]], k: int):
    totals = [sum(s for s in row if s is not None) for row in scores]
    complete = [row for row in scores if all(s is not None for s in row)]
    alpha = cronbach_alpha(complete)
    complete_sd = sample_sd([sum(row) for row in complete])
    sem = (
        complete_sd * math.sqrt(max(0.0, 1 - alpha))
        if alpha is not None and complete_sd is not None
        else None
    )
    return TestStatistics(
        learners=len(scores),
        items=k,
        mean=mean(totals),
        sd=sample_sd(totals),
        alpha=alpha,
        sem=sem,
        complete_learners=len(complete),
    )


def _groups(learners: list[int], standing: list[float]) -> tuple[list, list]:
    """The upper and lower groups among `learners` (row indexes) by `standing`,
    ties kept in row order; empty below two learners."""
    if len(learners) < 2:
        return [], []
    ranked = sorted(learners, key=lambda row: -standing[row])
    size = min(group_size(len(ranked)), len(ranked) // 2)
    return ranked[:size], ranked[-size:]


def _share(chosen: list[frozenset[str]], option: str) -> float | None:
    if not chosen:
        return None
    return sum(option in choice for choice in chosen) / len(chosen)


def _options(spec: ItemSpec, choices, answered, upper, lower):
    if not spec.options or choices is None:
        return ()
    column = {row: choices[row] for row in answered if choices[row] is not None}

    def of(rows):
        return [column[row] for row in rows if row in column]

    everyone, top, bottom = list(column.values()), of(upper), of(lower)
    return tuple(
        OptionStatistics(
            option=option,
            correct=option in spec.correct,
            share=_share(everyone, option) or 0.0,
            upper_share=_share(top, option),
            lower_share=_share(bottom, option),
        )
        for option in spec.options
    )


def _flags(facility, point_biserial, options, responses) -> tuple[Flag, ...]:
    flags = []
    if point_biserial is not None and round(point_biserial, 9) < 0:
        flags.append(
            Flag(
                NEGATIVE_DISCRIMINATION,
                NEGATIVE_DISCRIMINATION_REASON.format(value=point_biserial),
            )
        )
    keys = [o for o in options if o.correct and o.upper_share is not None]
    weakest_key = min(keys, key=lambda o: o.upper_share) if keys else None
    for option in options:
        if (
            weakest_key is not None
            and not option.correct
            and option.upper_share is not None
            and option.upper_share > weakest_key.upper_share
        ):
            flags.append(
                Flag(
                    DISTRACTOR_BEATS_KEY,
                    DISTRACTOR_BEATS_KEY_REASON.format(
                        option=option.option,
                        share=option.upper_share,
                        key_share=weakest_key.upper_share,
                    ),
                )
            )
    if facility is not None and facility < HARD_FACILITY:
        flags.append(
            Flag(TOO_HARD, TOO_HARD_REASON.format(value=facility, limit=HARD_FACILITY))
        )
    if facility is not None and facility > EASY_FACILITY:
        flags.append(
            Flag(TOO_EASY, TOO_EASY_REASON.format(value=facility, limit=EASY_FACILITY))
        )
    if responses < PROVISIONAL_BELOW:
        flags.append(
            Flag(
                PROVISIONAL,
                PROVISIONAL_REASON.format(count=responses, limit=PROVISIONAL_BELOW),
            )
        )
    return tuple(flags)


def analyse(
    items: Sequence[ItemSpec],
    scores: Sequence[Sequence[float | None]],
    *,
    choices: Sequence[Sequence[frozenset[str] | None]] | None = None,
    times: Sequence[Sequence[float | None]] | None = None,
    unscored: Collection[int] = (),
) -> Analysis:
    """The statistics of every item of `items` and of the test.

    `scores[learner][item]` is a fraction from 0 to 1 or None (not given);
    `choices[learner][item]` the option ids chosen (None: not a choice item or
    not given); `times[learner][item]` seconds spent, or None if unknown.
    Items at the indexes in `unscored` (pretest items) are analysed against the
    scored items but count in no total, rest score or test statistic.
    """
    scored = [index for index in range(len(items)) if index not in unscored]
    scored_answers = [
        [row[index] for index in scored if row[index] is not None] for row in scores
    ]
    standing = [mean(row) or 0.0 for row in scored_answers]
    results = []
    for index, spec in enumerate(items):
        answered = [row for row in range(len(scores)) if scores[row][index] is not None]
        column = [scores[row][index] for row in answered]
        own = 0 if index in unscored else 1
        with_rest = [row for row in answered if len(scored_answers[row]) > own]
        rest = [
            (sum(scored_answers[row]) - own * scores[row][index])
            / (len(scored_answers[row]) - own)
            for row in with_rest
        ]
        upper, lower = _groups(answered, standing)
        discrimination = (
            mean([scores[row][index] for row in upper])
            - mean([scores[row][index] for row in lower])
            if upper
            else None
        )
        spent = [
            times[row][index]
            for row in answered
            if times is not None and times[row][index] is not None
        ]
        facility = mean(column)
        point_biserial = pearson([scores[row][index] for row in with_rest], rest)
        column_choices = None if choices is None else [row[index] for row in choices]
        options = _options(spec, column_choices, answered, upper, lower)
        results.append(
            ItemStatistics(
                key=spec.key,
                responses=len(column),
                facility=facility,
                sd=sample_sd(column),
                point_biserial=point_biserial,
                discrimination_index=discrimination,
                median_time=median(spent) if spent else None,
                options=options,
                flags=_flags(facility, point_biserial, options, len(column)),
            )
        )
    scored_matrix = [[row[index] for index in scored] for row in scores]
    return Analysis(
        test=_test_statistics(scored_matrix, len(scored)), items=tuple(results)
    )
