"""The item statistics against values worked out by hand (no database)."""

import pytest

from item_analysis.statistics import (
    DISTRACTOR_BEATS_KEY,
    NEGATIVE_DISCRIMINATION,
    PROVISIONAL,
    PROVISIONAL_REASON,
    TOO_EASY,
    TOO_HARD,
    ItemSpec,
    analyse,
)

# Six learners, four items; items 3 and 4 give partial credit.
#
#            I1   I2   I3   I4   total
#   L1        1    1    1    1    4
#   L2        1    1   .5   .5    3
#   L3        1    0    1    0    2
#   L4        0    1   .5    0    1.5
#   L5        1    0    0    0    1
#   L6        0    0   .5    0    0.5
SCORES = [
    [1, 1, 1, 1],
    [1, 1, 0.5, 0.5],
    [1, 0, 1, 0],
    [0, 1, 0.5, 0],
    [1, 0, 0, 0],
    [0, 0, 0.5, 0],
]
# Item 1 is a choice item with key a: L4 chose b, L6 chose c.
ITEMS = [
    ItemSpec("I1", options=("a", "b", "c", "d"), correct=frozenset({"a"})),
    ItemSpec("I2"),
    ItemSpec("I3"),
    ItemSpec("I4"),
]
CHOICES = [
    [frozenset({"a"}), None, None, None],
    [frozenset({"a"}), None, None, None],
    [frozenset({"a"}), None, None, None],
    [frozenset({"b"}), None, None, None],
    [frozenset({"a"}), None, None, None],
    [frozenset({"c"}), None, None, None],
]
TIMES = [[30], [45], [60], [20], [90], [50]]


@pytest.fixture(scope="module")
def analysis():
    times = [row + [None, None, None] for row in TIMES]
    return analyse(ITEMS, SCORES, choices=CHOICES, times=times)


def test_facility_and_sd(analysis):
    """Facility is the column mean; SD the sample SD (n − 1 = 5).

    I1: 4/6 = 0.667; squares about the mean: 4·(1/3)² + 2·(2/3)² = 4/3,
        SD = √(4/3 / 5) = √0.2667 = 0.516
    I2: 3/6 = 0.500; 6·0.25 = 1.5, SD = √0.3 = 0.548
    I3: (1+.5+1+.5+0+.5)/6 = 3.5/6 = 0.583; squares: 2·(.4167)² + 3·(.0833)²
        + (.5833)² = .3472 + .0208 + .3403 = 0.7083, SD = √(0.7083/5) = 0.376
    I4: 1.5/6 = 0.250; (.75)² + (.25)² + 4·(.25)² = .5625 + .0625 + .25 = .875,
        SD = √(0.875/5) = √0.175 = 0.418
    """
    facility = [round(item.facility, 3) for item in analysis.items]
    sd = [round(item.sd, 3) for item in analysis.items]
    assert facility == [0.667, 0.5, 0.583, 0.25]
    assert sd == [0.516, 0.548, 0.376, 0.418]


def test_point_biserial_against_the_rest_of_the_test(analysis):
    """r = Sxy / √(Sxx·Syy) between the item and the total without it.

    I1: rest = 3, 2, 1, 1.5, 0, 0.5 (mean 4/3); item deviations 1/3 (L1-3, L5)
        and −2/3 (L4, L6).
        Sxy = 1/3·(5/3 + 2/3 − 1/3 − 4/3) − 2/3·(1/6 − 5/6) = 1/3·(2/3)
        + 2/3·(2/3) = 2/3; Sxx = 4/3;
        Syy = (5/3)² + (2/3)² + (1/3)² + (1/6)² + (4/3)² + (5/6)² = 35/6.
        r = (2/3) / √(4/3 · 35/6) = 0.6667 / 2.7889 = 0.239
    I2: rest = 3, 2, 2, .5, 1, .5 (mean 1.5); deviations ±.5.
        Sxy = .5·(1.5 + .5 − 1) − .5·(.5 − .5 − 1) = .5 + .5 = 1; Sxx = 1.5;
        Syy = 2.25 + .25 + .25 + 1 + .25 + 1 = 5. r = 1/√7.5 = 0.365
    I3: rest = 3, 2.5, 1, 1, 1, 0 (mean 17/12); item mean 7/12.
        Sxy = Σ(x−x̄)(y−ȳ) = (5/12)(19/12) + (−1/12)(13/12) + (5/12)(−5/12)
        + (−1/12)(−5/12) + (−7/12)(−5/12) + (−1/12)(−17/12)
        = (95 − 13 − 25 + 5 + 35 + 17)/144 = 114/144 = 0.7917;
        Sxx = 0.7083 (above); Syy = Σy² − 6ȳ² = 18.25 − 12.0417 = 6.2083.
        r = 0.7917/√(0.7083·6.2083) = 0.7917/2.0970 = 0.378
    I4: rest = 3, 2.5, 2, 1.5, 1, .5 (mean 1.75); item mean .25.
        Sxy = .75·1.25 + .25·.75 − .25·(.25 − .25 − .75 − 1.25) = .9375
        + .1875 + .5 = 1.625; Sxx = .875; Syy = 1.5625 + .5625 + .0625 + .0625
        + .5625 + 1.5625 = 4.375. r = 1.625/√3.828 = 1.625/1.9566 = 0.831
    """
    r = [round(item.point_biserial, 3) for item in analysis.items]
    assert r == [0.239, 0.365, 0.378, 0.831]


def test_discrimination_index_of_top_and_bottom_27_percent(analysis):
    """27% of 6 = 1.62, rounded to 2 per group: upper L1, L2 (totals 4, 3),
    lower L5, L6 (totals 1, 0.5).

    I1: (1+1)/2 − (1+0)/2 = 0.5     I2: 1 − 0 = 1.0
    I3: (1+.5)/2 − (0+.5)/2 = 0.5   I4: (1+.5)/2 − 0 = 0.75
    """
    d = [round(item.discrimination_index, 3) for item in analysis.items]
    assert d == [0.5, 1.0, 0.5, 0.75]


def test_alpha_and_sem(analysis):
    """Totals 4, 3, 2, 1.5, 1, 0.5: mean 2, squares 4 + 1 + 0 + .25 + 1 + 2.25
    = 8.5, variance 8.5/5 = 1.7, SD = 1.3038.
    Item variances (squares/5): 0.2667 + 0.3 + 0.1417 + 0.175 = 0.8833.
    α = 4/3 · (1 − 0.8833/1.7) = 4/3 · 0.48039 = 0.641.
    SEM = 1.3038 · √(1 − 0.6405) = 1.3038 · 0.59958 = 0.782.
    """
    test = analysis.test
    assert (test.learners, test.items, test.complete_learners) == (6, 4, 6)
    assert round(test.mean, 3) == 2.0
    assert round(test.sd, 3) == 1.304
    assert round(test.alpha, 3) == 0.641
    assert round(test.sem, 3) == 0.782


def test_distractors_and_median_time(analysis):
    """I1: a chosen by 4 of 6 (0.667), b and c by 1 (0.167), d by none; the
    upper group (L1, L2) all chose a, the lower (L5, L6) a and c (0.5 each).
    Times 20, 30, 45, 50, 60, 90: median (45 + 50)/2 = 47.5."""
    item = analysis.items[0]
    shares = {
        o.option: (round(o.share, 3), o.upper_share, o.lower_share, o.correct)
        for o in item.options
    }
    assert shares == {
        "a": (0.667, 1.0, 0.5, True),
        "b": (0.167, 0.0, 0.0, False),
        "c": (0.167, 0.0, 0.5, False),
        "d": (0.0, 0.0, 0.0, False),
    }
    assert item.median_time == 47.5
    assert analysis.items[1].options == ()
    assert analysis.items[1].median_time is None


def test_six_responses_are_provisional_and_flag_nothing_else(analysis):
    item = analysis.items[0]
    assert item.provisional
    assert not item.flagged
    assert [flag.reason for flag in item.flags] == [
        PROVISIONAL_REASON.format(count=6, limit=10)
    ]


# Ten learners. A, B and F follow ability, C runs against it (the learners who
# got it wrong chose distractor b), D everyone gets right, E nobody does.
# Totals: L1-L3 3, L4-L7 2, L8-L10 1.
FLAG_SCORES = [
    [1, 1, 1, 0, 1, 0],
    [1, 1, 1, 0, 1, 0],
    [1, 1, 1, 0, 1, 0],
    [1, 1, 0, 0, 1, 0],
    [1, 0, 1, 0, 1, 0],
    [0, 1, 0, 1, 1, 0],
    [0, 0, 1, 1, 1, 0],
    [0, 0, 0, 1, 1, 0],
    [0, 0, 0, 1, 1, 0],
    [0, 0, 0, 1, 1, 0],
]
FLAG_ITEMS = [
    ItemSpec("A"),
    ItemSpec("B"),
    ItemSpec("F"),
    ItemSpec("C", options=("a", "b"), correct=frozenset({"a"})),
    ItemSpec("D"),
    ItemSpec("E"),
]


def _flag_choices(rows):
    return [
        [None, None, None, frozenset({"a" if row[3] else "b"}), None, None]
        for row in rows
    ]


def test_flags_name_the_problem():
    """Upper group: 27% of 10 = 2.7 → 3 learners, L1-L3, who all chose b on
    C; the key a was chosen by none of them."""
    analysis = analyse(FLAG_ITEMS, FLAG_SCORES, choices=_flag_choices(FLAG_SCORES))
    kinds = {item.key: [flag.kind for flag in item.flags] for item in analysis.items}
    assert kinds == {
        "A": [],
        "B": [],
        "F": [],
        "C": [NEGATIVE_DISCRIMINATION, DISTRACTOR_BEATS_KEY],
        "D": [TOO_EASY],
        "E": [TOO_HARD],
    }
    reasons = [flag.reason for flag in analysis.items[3].flags]
    assert "Option b was chosen by more of the upper group (100%)" in reasons[1]
    assert "than the key (0%)" in reasons[1]


def test_nine_responses_are_provisional():
    rows = FLAG_SCORES[:9]
    analysis = analyse(FLAG_ITEMS, rows, choices=_flag_choices(rows))
    assert all(item.provisional for item in analysis.items)
    assert PROVISIONAL in [flag.kind for flag in analysis.items[0].flags]


def test_items_not_given_are_left_out():
    """A random draw: L3 was not given item 2. Item 2's facility is over the
    two who were (1 and 0); α is over the complete rows L1, L2 only."""
    scores = [[1, 1, 1], [0, 0, 1], [1, None, 0]]
    analysis = analyse([ItemSpec("1"), ItemSpec("2"), ItemSpec("3")], scores)
    assert analysis.items[1].responses == 2
    assert analysis.items[1].facility == 0.5
    assert analysis.test.complete_learners == 2
    assert analysis.test.learners == 3


def test_a_pretest_item_is_measured_against_the_scored_items_only():
    """Item P is unscored: the test has two items, and P's rest score is the
    mean of the two scored items (1, 0.5, 0), against P's 1, 1, 0:
    Sxy = (1/3)(.5) + (1/3)(0) + (−2/3)(−.5) = 0.5; Sxx = 2/3; Syy = 0.5;
    r = 0.5/√(1/3) = 0.866."""
    scores = [[1, 1, 1], [1, 0, 1], [0, 0, 0]]
    analysis = analyse(
        [ItemSpec("1"), ItemSpec("2"), ItemSpec("P")], scores, unscored={2}
    )
    assert analysis.test.items == 2
    assert round(analysis.items[2].point_biserial, 3) == 0.866
