from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from grading.engine.matching import best_assignment


def _total(scores, assignment):
    tiers = len(next(iter(scores.values())))
    return tuple(
        sum(scores[row, column][tier] for row, column in assignment.items())
        for tier in range(tiers)
    )


def _brute_force_best(scores, rows, columns):
    best = (0,) * len(next(iter(scores.values())))
    for chosen in permutations([*columns, *[None] * len(rows)], len(rows)):
        assignment = {
            row: column
            for row, column in zip(rows, chosen, strict=True)
            if column is not None and (row, column) in scores
        }
        best = max(best, _total(scores, assignment))
    return best


def test_a_near_miss_goes_where_it_earns_most():
    # Row 0 fits both columns; row 1 fits only column 0 and fits it better.
    scores = {(0, 0): (50, 1), (0, 1): (25, 1), (1, 0): (100, 1)}
    assert best_assignment(scores) == {0: 1, 1: 0}


def test_later_tiers_only_break_ties():
    scores = {(0, 0): (10, 0), (0, 1): (10, 5), (1, 1): (11, 0)}
    assert best_assignment(scores) == {0: 0, 1: 1}


def test_more_rows_than_columns():
    scores = {(0, 0): (1,), (1, 0): (3,), (2, 0): (2,), (2, 1): (2,)}
    assert best_assignment(scores) == {1: 0, 2: 1}


def test_empty():
    assert best_assignment({}) == {}


score_tables = st.dictionaries(
    st.tuples(st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.integers(0, 3), st.just(1), st.integers(0, 2)),
    max_size=14,
)


@settings(max_examples=150, deadline=None)
@given(score_tables)
def test_assignment_is_optimal_and_one_to_one(scores):
    assignment = best_assignment(scores)
    assert len(set(assignment.values())) == len(assignment)
    assert all(pair in scores for pair in assignment.items())
    if scores:
        rows = sorted({row for row, _ in scores})
        columns = sorted({column for _, column in scores})
        assert _total(scores, assignment) == _brute_force_best(scores, rows, columns)
