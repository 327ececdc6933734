"""The save path's read and locked write, in SQL.

Saving an answer is the exam's hottest request: every learner saves every few
seconds. Built through the ORM, the read (three tables joined) and the write cost
about 2 ms of CPU per save, most of the request; these two statements cost about
0.3 ms. They run unchanged on PostgreSQL and SQLite; values go through the model
fields' own adapters and converters (`Field.get_col`, the backend's and the
column's `get_db_converters`, `get_db_prep_save`: private API, pinned by
tests/core/test_private_apis.py).

Measured against the same read and guarded write through the ORM (a transaction
holding the attempt row, benchmarks/plain_paths.py) in `make bench`
(benchmarks/bench_exams.py, 2026-12-03, three runs): +42%, +71% and +71% saves
per CPU second of gunicorn, so it stays (issue #18 asks for 20%).

The write's guard is the one `_write_if_open` used to hold in a transaction: the
item changes only while its attempt is in progress and not past `cutoff`. On
PostgreSQL the attempt row is locked FOR SHARE inside the statement, so a
finalising UPDATE either waits for the save to commit or, having committed first,
makes the save change nothing; SQLite runs one writer at a time.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from django.db import connection

from exams.models import Attempt, AttemptItem, Question


class ItemForWrite(NamedTuple):
    """What a save needs to know about the item at one position of an attempt."""

    item_id: int
    option_order: list[str]
    response: dict | None
    sequence: int
    flagged: bool
    saved_at: datetime | None
    kind: str
    choose: int
    key: dict
    status: str
    deadline: datetime


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _converters(model, name: str) -> tuple:
    field = model._meta.get_field(name)
    column = field.get_col(model._meta.db_table)
    converters = connection.ops.get_db_converters(column)
    return column, tuple(converters + column.get_db_converters(connection))


def _from_db(model, name: str, value: Any) -> Any:
    """`value` as the ORM would return it for `model.name`."""
    column, converters = _converters(model, name)
    for converter in converters:
        value = converter(value, column, connection)
    return value


def _to_db(model, name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_save(value, connection)


_READ_COLUMNS = [
    (AttemptItem, "i", "id"),
    (AttemptItem, "i", "option_order"),
    (AttemptItem, "i", "response"),
    (AttemptItem, "i", "sequence"),
    (AttemptItem, "i", "flagged"),
    (AttemptItem, "i", "saved_at"),
    (Question, "q", "kind"),
    (Question, "q", "choose"),
    (Question, "q", "key"),
    (Attempt, "a", "status"),
    (Attempt, "a", "deadline"),
]


@cache
def _read_sql() -> str:
    columns = ", ".join(
        f"{alias}.{_column(model, name)}" for model, alias, name in _READ_COLUMNS
    )
    return (
        f"SELECT {columns} FROM {_table(AttemptItem)} i "
        f"JOIN {_table(Attempt)} a ON a.{_column(Attempt, 'id')} "
        f"= i.{_column(AttemptItem, 'attempt')} "
        f"JOIN {_table(Question)} q ON q.{_column(Question, 'id')} "
        f"= i.{_column(AttemptItem, 'question')} "
        f"WHERE i.{_column(AttemptItem, 'attempt')} = %s "
        f"AND a.{_column(Attempt, 'learner')} = %s "
        f"AND i.{_column(AttemptItem, 'position')} = %s"
    )


def item_for_write(*, learner_id: int, attempt_id: int, position: int):
    """The item at `position` of the learner's attempt, or None (no such attempt,
    someone else's, or no such position)."""
    with connection.cursor() as cursor:
        cursor.execute(_read_sql(), [attempt_id, learner_id, position])
        row = cursor.fetchone()
    if row is None:
        return None
    return ItemForWrite(
        *(
            _from_db(model, name, value)
            for (model, _, name), value in zip(_READ_COLUMNS, row, strict=True)
        )
    )


@cache
def _update_sql(names: tuple[str, ...], add_time_spent: bool, newer_only: bool):
    assignments = [f"{_column(AttemptItem, name)} = %s" for name in names]
    if add_time_spent:
        spent = _column(AttemptItem, "time_spent_seconds")
        assignments.append(f"{spent} = {spent} + %s")
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    open_attempt = (
        f"SELECT {_column(Attempt, 'id')} FROM {_table(Attempt)} "
        f"WHERE {_column(Attempt, 'id')} = %s AND {_column(Attempt, 'status')} = %s "
        f"AND {_column(Attempt, 'deadline')} >= %s{lock}"
    )
    sql = (
        f"UPDATE {_table(AttemptItem)} SET {', '.join(assignments)} "
        f"WHERE {_column(AttemptItem, 'id')} = %s "
        f"AND {_column(AttemptItem, 'attempt')} IN ({open_attempt})"
    )
    if newer_only:
        sql += f" AND {_column(AttemptItem, 'sequence')} < %s"
    return sql


def item_update_if_open(
    *,
    item: ItemForWrite,
    attempt_id: int,
    cutoff: datetime,
    values: dict[str, Any],
    add_time_spent: int = 0,
    newer_than_sequence: int | None = None,
) -> bool:
    """Set `values` on the item (and add seconds to its time spent) if its attempt
    is still in progress with a deadline at or after `cutoff`, and, given
    `newer_than_sequence`, if the stored sequence is lower. True if it changed."""
    newer_only = newer_than_sequence is not None
    sql = _update_sql(tuple(values), bool(add_time_spent), newer_only)
    params = [_to_db(AttemptItem, name, value) for name, value in values.items()]
    if add_time_spent:
        params.append(add_time_spent)
    params += [
        item.item_id,
        attempt_id,
        Attempt.Status.IN_PROGRESS,
        connection.ops.adapt_datetimefield_value(cutoff),
    ]
    if newer_only:
        params.append(newer_than_sequence)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1
