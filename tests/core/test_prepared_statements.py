"""On PostgreSQL a statement is prepared on its 5th use on a connection, so its plan
is made once per connection (docs/exams.md, "What it took (issue #22, second
pass)"), and the exam's hot statements run prepared."""

import pytest
from django.db import connection

from accounts.backends import ModelBackend

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_values_are_bound_on_the_server_and_statements_prepared():
    connection.ensure_connection()
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    assert connection.connection.prepare_threshold == 5


def test_the_signed_in_users_query_runs_prepared_after_its_fifth_use(learner):
    for _ in range(6):
        assert ModelBackend().get_user(learner.pk) == learner
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement LIKE %s AND generic_plans + custom_plans > 0",
            ["%holds_privilege%"],
        )
        assert cursor.fetchone()[0] == 1
