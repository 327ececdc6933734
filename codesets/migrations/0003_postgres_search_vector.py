"""PostgreSQL: keep the tsvector in a stored generated column, so a search reads it
instead of recomputing it for every candidate row."""

from django.db import migrations

FORWARD = [
    "DROP INDEX IF EXISTS codesets_code_search_gin",
    """ALTER TABLE codesets_code ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('english'::regconfig, search_text)) STORED""",
    """CREATE INDEX IF NOT EXISTS codesets_code_search_vector_gin ON codesets_code
        USING gin (search_vector)""",
]
BACKWARD = [
    "DROP INDEX IF EXISTS codesets_code_search_vector_gin",
    "ALTER TABLE codesets_code DROP COLUMN IF EXISTS search_vector",
    """CREATE INDEX IF NOT EXISTS codesets_code_search_gin ON codesets_code
        USING gin (to_tsvector('english'::regconfig, search_text))""",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("codesets", "0002_search_indexes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
