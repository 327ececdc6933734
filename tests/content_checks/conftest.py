"""The full bundled code sets, loaded once for the package: the content checks read
the real tabular notes, edits and releases the demo keys are checked against."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from codesets.models import Code, MedicallyUnlikelyEdit, PtpEdit, Release


@pytest.fixture(scope="package")
def code_sets(django_db_setup, django_db_blocker):
    """Committed for the package, removed after it: loading takes about a minute."""
    with django_db_blocker.unblock():
        before = set(Release.objects.values_list("pk", flat=True))
        call_command("load_codesets", stdout=StringIO())
        yield
        added = list(
            Release.objects.exclude(pk__in=before).values_list("pk", flat=True)
        )
        # In SQL: the ORM's delete would send Wagtail's reference-index signal for
        # each of the ~180,000 codes, five minutes on PostgreSQL.
        placeholders = ", ".join(["%s"] * len(added))
        with connection.cursor() as cursor:
            for model in (Code, PtpEdit, MedicallyUnlikelyEdit) if added else ():
                cursor.execute(
                    f"DELETE FROM {model._meta.db_table} "
                    f"WHERE release_id IN ({placeholders})",
                    added,
                )
        Release.objects.filter(pk__in=added).delete()
