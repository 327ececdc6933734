"""Optimal pairing of given lines with key lines.

`best_assignment` solves a maximum-weight bipartite matching with the Hungarian
algorithm. Scores are tuples compared tier by tier (a better first tier always
wins, whatever the later tiers say); they are folded into exact integers so the
algorithm never meets rounding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

Score = tuple[int, ...]
Pair = tuple[int, int]


def best_assignment(scores: Mapping[Pair, Score]) -> dict[int, int]:
    """Pair rows with columns so that the summed score is the largest possible.

    `scores` lists the only pairs allowed, each with a tuple of non-negative
    integers (not all zero) compared lexicographically. Each row and each column is
    used at most once. Returns {row: column}. The result depends only on the
    scores, so equal inputs always give equal pairings.
    """
    assignment: dict[int, int] = {}
    for pairs in _connected_groups(scores):
        assignment.update(_solve_group({pair: scores[pair] for pair in pairs}))
    return assignment


def _connected_groups(scores: Mapping[Pair, Score]) -> list[list[Pair]]:
    """Split the pairs into groups sharing no row or column; most are a single pair,
    and each group can be solved on its own."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for row, column in scores:
        parent[root(("row", row))] = root(("column", column))
    groups: dict[tuple[str, int], list[Pair]] = {}
    for pair in sorted(scores):
        groups.setdefault(root(("row", pair[0])), []).append(pair)
    return list(groups.values())


def _solve_group(scores: Mapping[Pair, Score]) -> dict[int, int]:
    rows = sorted({row for row, _ in scores})
    columns = sorted({column for _, column in scores})
    if len(rows) == 1 or len(columns) == 1:
        best = max(sorted(scores), key=lambda pair: scores[pair])
        return {best[0]: best[1]}
    weights = _fold_tiers(scores, pair_limit=min(len(rows), len(columns)))
    transposed = len(rows) > len(columns)
    if transposed:
        rows, columns = columns, rows
    matrix = [
        [
            weights.get((column, row) if transposed else (row, column), 0)
            for column in columns
        ]
        for row in rows
    ]
    assignment = {}
    for row_position, column_position in enumerate(_hungarian_maximum(matrix)):
        pair = (rows[row_position], columns[column_position])
        if transposed:
            pair = (pair[1], pair[0])
        if pair in scores:
            assignment[pair[0]] = pair[1]
    return assignment


def _fold_tiers(scores: Mapping[Pair, Score], pair_limit: int) -> dict[Pair, int]:
    """Turn tuple scores into integers whose sums order like the tuples' sums.

    Each tier is weighted above the most that all later tiers of `pair_limit` pairs
    could add up to.
    """
    tier_count = len(next(iter(scores.values())))
    multipliers = [0] * tier_count
    base = 1
    for tier in reversed(range(tier_count)):
        multipliers[tier] = base
        largest = max(score[tier] for score in scores.values())
        most_per_pair = sum(
            max(score[later] for score in scores.values()) * multipliers[later]
            for later in range(tier + 1, tier_count)
        )
        base = pair_limit * (largest * base + most_per_pair) + 1
    return {
        pair: sum(
            value * weight for value, weight in zip(score, multipliers, strict=True)
        )
        for pair, score in scores.items()
    }


def _hungarian_maximum(weights: Sequence[Sequence[int]]) -> list[int]:
    """The column given to each row in a maximum-weight assignment.

    Needs no more rows than columns. Shortest augmenting paths with potentials,
    O(rows^2 * columns), on costs negated from the weights.
    """
    row_count, column_count = len(weights), len(weights[0])
    infinity = 1 + sum(abs(weight) for row in weights for weight in row)
    row_potential = [0] * (row_count + 1)
    column_potential = [0] * (column_count + 1)
    row_of_column = [0] * (column_count + 1)
    previous_column = [0] * (column_count + 1)
    for row in range(1, row_count + 1):
        row_of_column[0] = row
        current = 0
        slack = [infinity] * (column_count + 1)
        visited = [False] * (column_count + 1)
        while row_of_column[current]:
            visited[current] = True
            current_row = row_of_column[current]
            delta, next_column = infinity, 0
            for column in range(1, column_count + 1):
                if visited[column]:
                    continue
                reduced = (
                    -weights[current_row - 1][column - 1]
                    - row_potential[current_row]
                    - column_potential[column]
                )
                if reduced < slack[column]:
                    slack[column] = reduced
                    previous_column[column] = current
                if slack[column] < delta:
                    delta, next_column = slack[column], column
            for column in range(column_count + 1):
                if visited[column]:
                    row_potential[row_of_column[column]] += delta
                    column_potential[column] -= delta
                else:
                    slack[column] -= delta
            current = next_column
        while current:
            earlier = previous_column[current]
            row_of_column[current] = row_of_column[earlier]
            current = earlier
    column_of_row = [0] * row_count
    for column in range(1, column_count + 1):
        if row_of_column[column]:
            column_of_row[row_of_column[column] - 1] = column - 1
    return column_of_row
