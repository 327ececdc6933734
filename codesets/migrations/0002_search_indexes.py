"""Full-text search indexes, per database vendor.

SQLite: an FTS5 table over `codesets_code.search_text` and `release_id` (external
content, kept in step by triggers; a release is a column filter of the query), with the Porter stemmer and prefix indexes for typing-ahead.
PostgreSQL: a GIN index on the English tsvector of `search_text`, and pg_trgm
for typo-tolerant fallback matches on `description`.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE codesets_code_fts USING fts5(
        search_text, release_id, content='codesets_code', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3 4')""",
    """CREATE TRIGGER codesets_code_fts_ai AFTER INSERT ON codesets_code BEGIN
        INSERT INTO codesets_code_fts(rowid, search_text, release_id)
        VALUES (new.id, new.search_text, new.release_id);
    END""",
    """CREATE TRIGGER codesets_code_fts_ad AFTER DELETE ON codesets_code BEGIN
        INSERT INTO codesets_code_fts(codesets_code_fts, rowid, search_text, release_id)
        VALUES ('delete', old.id, old.search_text, old.release_id);
    END""",
    """CREATE TRIGGER codesets_code_fts_au AFTER UPDATE ON codesets_code BEGIN
        INSERT INTO codesets_code_fts(codesets_code_fts, rowid, search_text, release_id)
        VALUES ('delete', old.id, old.search_text, old.release_id);
        INSERT INTO codesets_code_fts(rowid, search_text, release_id)
        VALUES (new.id, new.search_text, new.release_id);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS codesets_code_fts_au",
    "DROP TRIGGER IF EXISTS codesets_code_fts_ad",
    "DROP TRIGGER IF EXISTS codesets_code_fts_ai",
    "DROP TABLE IF EXISTS codesets_code_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX IF NOT EXISTS codesets_code_search_gin ON codesets_code
        USING gin (to_tsvector('english'::regconfig, search_text))""",
    """CREATE INDEX IF NOT EXISTS codesets_code_description_trgm ON codesets_code
        USING gin (description gin_trgm_ops)""",
    """CREATE INDEX IF NOT EXISTS codesets_code_prefix ON codesets_code
        (release_id, code text_pattern_ops)""",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS codesets_code_prefix",
    "DROP INDEX IF EXISTS codesets_code_description_trgm",
    "DROP INDEX IF EXISTS codesets_code_search_gin",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("codesets", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
