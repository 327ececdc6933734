"""Code sets committed for a package or module of tests, and removed after it."""

from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.db import connection

from codesets.models import Code, MedicallyUnlikelyEdit, PtpEdit, Release


@contextmanager
def code_sets_committed(**load_options):
    """`load_codesets` with these options, committed; on leaving, the releases it
    added are deleted (the caller unblocks the database)."""
    before = set(Release.objects.values_list("pk", flat=True))
    call_command("load_codesets", stdout=StringIO(), **load_options)
    try:
        yield
    finally:
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
