"""The backup procedure of docs/deploy.md restores: a populated database dumped
with `pg_dump --format=custom`, restored with `pg_restore` into a fresh database,
has the same rows in every table and the same full history for a learner
(issue #15)."""

import os
import subprocess

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from exams.services import (
    attempt_grade,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
LEARNER_COLUMNS = ("learner_id", "user_id")


def pg_environment() -> dict:
    db = connection.settings_dict
    return {
        **os.environ,
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"],
        "PGPASSWORD": db["PASSWORD"] or "",
    }


def connect(dbname: str) -> psycopg.Connection:
    params = {**connection.get_connection_params(), "dbname": dbname}
    return psycopg.connect(**params, autocommit=True)


def row_counts(db: psycopg.Connection) -> dict[str, int]:
    tables = db.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
    ).fetchall()
    return {
        table: db.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for (table,) in tables
    }


def history(db: psycopg.Connection, learner_id: int) -> dict[str, list]:
    """Every row of every table that names the learner, in a stable order."""
    owned = db.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_name = ANY(%s)",
        [list(LEARNER_COLUMNS)],
    ).fetchall()
    return {
        f"{table}.{column}": db.execute(
            sql.SQL("SELECT * FROM {} WHERE {} = %s ORDER BY 1").format(
                sql.Identifier(table), sql.Identifier(column)
            ),
            [learner_id],
        ).fetchall()
        for table, column in owned
    }


def test_a_dump_restores_into_a_fresh_database_with_every_row(
    tmp_path, learner, other_learner, cpc
):
    for user in (learner, other_learner):
        attempt = attempt_start(learner=user, blueprint=cpc)
        attempt_save_answer(
            learner=user,
            attempt_id=attempt.pk,
            position=2,
            response={"options": ["a"]},
        )
        attempt_submit(learner=user, attempt_id=attempt.pk)
        attempt_grade(attempt_id=attempt.pk)
    source_name = connection.settings_dict["NAME"]
    restored_name = f"{source_name}_restored"
    dump = tmp_path / "coderacademy.dump"
    env = pg_environment()
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", source_name],
        env=env,
        check=True,
    )
    with connect("postgres") as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(restored_name))
        )
        admin.execute(
            sql.SQL("CREATE DATABASE {}").format(sql.Identifier(restored_name))
        )
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={restored_name}", str(dump)],
            env=env,
            check=True,
        )
        with connect(source_name) as source, connect(restored_name) as restored:
            counts = row_counts(source)
            assert row_counts(restored) == counts
            learner_history = history(source, learner.pk)
            assert history(restored, learner.pk) == learner_history
    finally:
        with connect("postgres") as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {}").format(
                    sql.Identifier(restored_name)
                )
            )
    assert counts["exams_attempt"] == 2
    assert len(learner_history["exams_attempt.learner_id"]) == 1
    assert any(
        rows for name, rows in learner_history.items() if name.startswith("grading_")
    )
