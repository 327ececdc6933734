"""Code search: code prefixes by index range, words by full-text index, one module.

A query that looks like a code of the system is a prefix search on the
(release, code) index. Anything else is a word search: the query is folded to
ASCII, lay terms and abbreviations are expanded (`data/abbreviations.csv`), and
the vendor's full-text index (SQLite FTS5; PostgreSQL, a stored tsvector column
with a GIN index) returns a bounded set of candidates — every word, else all but
one, else any word — which are ranked here, in Python, the same way on every
database. Nothing ranks every match. On PostgreSQL a query with no candidate falls
back to pg_trgm word similarity, for typos.
"""

from __future__ import annotations

import csv
import heapq
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.db import connection
from django.utils import timezone

from codeformats import CodeSystem, compact
from codesets import ranking, search_index
from codesets.models import Code, Release
from codesets.search_index import (
    CANDIDATES,
    MAX_DROP_ONE,
    MAX_RESULTS,
    WORD,
    Hit,
    Query,
    index_for,
)
from codesets.selectors import prefix_range, release_for

__all__ = [
    "MAX_RESULTS",
    "Hit",
    "Query",
    "QueryError",
    "search",
    "share_indexes_before_fork",
]

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
QUERY_TOO_LONG = f"The query is too long: at most {MAX_QUERY_LENGTH} characters."
ABBREVIATIONS_FILE = Path(__file__).resolve().parent / "data" / "abbreviations.csv"
STOPWORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "by", "for", "from", "in"),
        *("into", "is", "of", "on", "or", "the", "to", "with"),
    }
)
_CODE_SHAPES = {
    CodeSystem.ICD10CM: re.compile(r"^[A-Z][0-9][0-9A-Z]{0,5}$"),
    CodeSystem.ICD10PCS: re.compile(r"^(?=.*[0-9])[0-9A-HJ-NP-Z]{1,7}$"),
    CodeSystem.CPT: re.compile(r"^([0-9]{1,5}|[0-9]{4}[FTU])$"),
    CodeSystem.HCPCS: re.compile(r"^[A-V][0-9]{1,4}$"),
    CodeSystem.MODIFIER: re.compile(r"^[0-9A-Z]{1,2}$"),
}


class QueryError(ValueError):
    """A query the search refuses, with the message to show."""


@cache
def synonyms(system: CodeSystem) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Single-word and multi-word expansions for `system`, the phrases longest first.

    A row whose `systems` column is blank applies to every system.
    """
    words, phrases = {}, []
    with ABBREVIATIONS_FILE.open(encoding="utf-8", newline="") as handle:
        for term, expansion, systems in list(csv.reader(handle))[1:]:
            if systems and str(system) not in systems.split():
                continue
            term = fold(term)
            if " " in term or not WORD.fullmatch(term):
                phrases.append((term, fold(expansion)))
            else:
                words[term] = fold(expansion)
    phrases.sort(key=lambda pair: -len(pair[0]))
    return words, phrases


def fold(text: str) -> str:
    """Lower-case ASCII: accents dropped, other characters kept as they are."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode().lower().strip()


def parse_query(system: CodeSystem, raw: str) -> Query:
    """Fold `raw`, expand lay phrases and abbreviations, keep searchable words."""
    words, phrases = synonyms(CodeSystem(system))
    text = f" {fold(raw)} "
    for term, expansion in phrases:
        if f" {term} " in text:
            text = text.replace(f" {term} ", f" {expansion} ")
    terms: list[str] = []
    for word in WORD.findall(text):
        for term in WORD.findall(words.get(word, word)):
            if term not in STOPWORDS and term not in terms:
                terms.append(term)
    return Query(tuple(terms[:MAX_TERMS]), " ".join(terms))


def code_prefix(system: CodeSystem, raw: str) -> str | None:
    """The compact code prefix `raw` stands for, if it looks like a code."""
    candidate = compact(raw)
    return candidate if _CODE_SHAPES[system].match(candidate) else None


def _ranked(rows: list, query: Query, limit: int) -> list[Hit]:
    """The best `limit` of (id, code, display, description, billable, kind, text)
    rows by `ranking.Scorer`; rows without any query word are dropped."""
    scorer = ranking.Scorer.for_terms(query.terms)
    scored = []
    for row in rows:
        _id, code, _display, description, billable, _kind, text = row
        value = scorer.text_score(code, billable, text or description)
        if value is not None:
            scored.append((-value, len(code), code, row, value))
    return [
        Hit(row[1], row[2], row[3], row[4], row[5], round(value, 3))
        for *_order, row, value in heapq.nsmallest(limit, scored)
    ]


def _sqlite_candidates(release: Release, terms: list[str], any_word: bool) -> list:
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    words = (" OR " if any_word else " AND ").join(quoted)
    match = f"release_id : {int(release.id)} AND ({words})"
    sql = (
        "SELECT id, code, display, description, billable, kind, search_text "
        "FROM codesets_code WHERE id IN (SELECT rowid FROM codesets_code_fts "
        "WHERE codesets_code_fts MATCH %s LIMIT %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, CANDIDATES])
        return cursor.fetchall()


def _postgres_candidates(release: Release, terms: list[str], any_word: bool) -> list:
    terms = [*terms[:-1], terms[-1] + ":*"]
    tsquery = (" | " if any_word else " & ").join(terms)
    sql = (
        "SELECT id, code, display, description, billable, kind, search_text "
        "FROM codesets_code WHERE search_vector "
        "@@ to_tsquery('english'::regconfig, %s) AND release_id = %s LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery, release.id, CANDIDATES])
        return cursor.fetchall()


def _postgres_similar(release: Release, text: str) -> list:
    sql = (
        "SELECT id, code, display, description, billable, kind, search_text "
        "FROM codesets_code WHERE release_id = %s AND %s <%% description "
        "ORDER BY word_similarity(%s, description) DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [release.id, text, text, MAX_RESULTS])
        return cursor.fetchall()


def _candidates(release: Release, query: Query) -> list:
    """Rows having every term; short of a page, rows missing one term; then any."""
    backend = (
        _postgres_candidates
        if connection.vendor == "postgresql"
        else _sqlite_candidates
    )
    terms = list(query.terms)
    rows = backend(release, terms, any_word=False)
    seen = {row[0] for row in rows}
    if len(rows) < MAX_RESULTS and 1 < len(terms) <= MAX_DROP_ONE:
        for index in range(len(terms)):
            rest = terms[:index] + terms[index + 1 :]
            rows += [r for r in backend(release, rest, False) if r[0] not in seen]
            seen.update(row[0] for row in rows)
    if not rows and len(terms) > 1:
        rows = backend(release, terms, any_word=True)
    return rows


def word_search(release: Release, raw: str, limit: int = MAX_RESULTS) -> list[Hit]:
    """The best `limit` rows of `release` for a word query."""
    query = parse_query(CodeSystem(release.system), raw)
    if not query.terms:
        return []
    index = index_for(release)
    if index is not None:
        hits = index.word_search(query, limit)
    else:
        hits = _ranked(_candidates(release, query), query, limit)
    if hits or connection.vendor != "postgresql":
        return hits
    # A typo matches no word: the most similar descriptions, in that order.
    return [Hit(*row[1:6]) for row in _postgres_similar(release, query.phrase)[:limit]]


def prefix_search(release: Release, prefix: str, limit: int = MAX_RESULTS) -> list[Hit]:
    """Rows of `release` whose code starts with `prefix`, in code order."""
    index = index_for(release)
    if index is not None:
        return index.prefix_search(prefix, limit)
    rows = (
        Code.objects.filter(release=release, **prefix_range(prefix))
        .order_by("code")
        .values_list("code", "display", "description", "billable", "kind")[:limit]
    )
    return [Hit(*row) for row in rows]


def search(
    system: CodeSystem, raw: str, release: Release | None, limit: int = MAX_RESULTS
) -> list[Hit]:
    """Ranked hits for `raw` in `release` (at most `limit`, never more than 20).

    An empty query, or no release, finds nothing; a query over
    `MAX_QUERY_LENGTH` characters raises QueryError.
    """
    if len(raw) > MAX_QUERY_LENGTH:
        raise QueryError(QUERY_TOO_LONG)
    limit = max(1, min(limit, MAX_RESULTS))
    if release is None or not raw.strip():
        return []
    prefix = code_prefix(system, raw)
    hits = prefix_search(release, prefix, limit) if prefix else []
    if not hits:
        hits = word_search(release, raw, limit)
    return hits


def share_indexes_before_fork() -> None:
    """Build the search indexes of the releases in force today in this (master)
    process, for its forked workers to share (see `search_index.build_before_fork`)."""
    today = timezone.localdate()
    releases = [release_for(system, today) for system in CodeSystem]
    search_index.build_before_fork([r for r in releases if r is not None])
