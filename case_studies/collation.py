"""A locale-sensible, case-insensitive collation for SQLite, which has none of its
own beyond ASCII NOCASE: letters compare without case or accents ("Carboplatin"
before "COPD", "Éclampsia" among the Es), the exact text breaking ties.
PostgreSQL uses ICU's root collation instead (`case_studies.selectors`)."""

import unicodedata

SQLITE_TITLE_COLLATION = "case_studies_title"


def _sort_key(text: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return letters.casefold(), text


def _compare(first: str, second: str) -> int:
    a, b = _sort_key(first), _sort_key(second)
    return (a > b) - (a < b)


def collation_register(connection, **_signal) -> None:
    """Give a new SQLite connection the titles' collation (`connection_created`)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_TITLE_COLLATION, _compare)
