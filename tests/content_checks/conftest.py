"""The full bundled code sets, loaded once for the package: the content checks read
the real tabular notes, edits and releases the demo keys are checked against."""

import pytest

from tests.support.code_sets import code_sets_committed


@pytest.fixture(scope="package")
def code_sets(django_db_setup, django_db_blocker):
    """Committed for the package, removed after it: loading takes about a minute."""
    with django_db_blocker.unblock(), code_sets_committed():
        yield
