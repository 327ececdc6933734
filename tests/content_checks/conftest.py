"""The full bundled code sets, loaded once for the package: the content checks read
the real tabular notes, edits and releases the demo keys are checked against."""

from io import StringIO

import pytest
from django.core.management import call_command

from codesets.models import Release


@pytest.fixture(scope="package")
def code_sets(django_db_setup, django_db_blocker):
    """Committed for the package, removed after it: loading takes about a minute."""
    with django_db_blocker.unblock():
        before = set(Release.objects.values_list("pk", flat=True))
        call_command("load_codesets", stdout=StringIO())
        yield
        Release.objects.exclude(pk__in=before).delete()
