"""A per-process, in-memory search index of a release: the fast path of the search.

Built lazily on the first search of a release, from one query, and kept per
process under the release's id, `loaded_at` and checksum, so a reload of the
release (which changes both) builds a fresh one. It holds, in storage order
(billable, short descriptions first: the tie-breaker of every search):

- a forward index: each row's word stems (description stems first) as token ids
  in one flat array, to check a candidate for a word without parsing its text;
- postings: for each stem, the rows having it, ascending, so "every word" is a
  walk over the rarest word's rows with binary searches in the others, stopped
  after `CANDIDATES` rows;
- codes in code order, for prefix searches by binary search;
- each row's lines as `codesets.ranking` analyses them, with words and word keys
  as integer ids in one flat array, so that ranking a candidate parses no text
  and, in a forked worker, writes to no shared page of them.

Candidates are ranked by `codesets.ranking`, as on the database path.

Memory is bounded by `MAX_INDEXED_ROWS` over all cached releases (least recently
used first out); a release larger than that is searched in the database instead.
"""

from __future__ import annotations

import gc
import heapq
import re
import threading
from array import array
from bisect import bisect_left
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count, islice

from django.db import connection, connections

from codeformats import CodeSystem, display_form
from codesets.models import Code, Release
from codesets.ranking import (
    MIN_PREFIX,
    Line,
    Scorer,
    analyse_line,
    text_lines,
    word_key,
)

CANDIDATES = 300
MAX_RESULTS = 20
MAX_DROP_ONE = 5
MAX_INDEXED_ROWS = 400_000
SHORT_STEM, LONG_STEM, LONG_TERM = 6, 8, 10
BUILD_IN_BACKGROUND = True
WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Hit:
    """One ranked result."""

    code: str
    display: str
    description: str
    billable: bool
    kind: str
    score: float = 0.0


@dataclass(frozen=True)
class Query:
    """A word query after folding and expansion."""

    terms: tuple[str, ...]
    phrase: str


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def word_stems(word: str) -> tuple[str, ...]:
    """The forms a word is indexed under: without plural s, its first six
    characters (diabetes, diabetic: `diabet`), and for a long word eight too."""
    word = _singular(word)
    if len(word) >= LONG_STEM:
        return (word[:SHORT_STEM], word[:LONG_STEM])
    return (word[:SHORT_STEM],)


def term_stem(term: str) -> str:
    """The form a query word is matched under: eight characters of a long word,
    so that "transfusion" does not find "transfer", else six."""
    term = _singular(term)
    return term[:LONG_STEM] if len(term) >= LONG_TERM else term[:SHORT_STEM]


def is_prefix_of_stems(term: str) -> bool:
    """Whether a last, maybe half-typed, query word also matches as a prefix."""
    return len(_singular(term)) < LONG_TERM


def search_order(code: str, description: str, billable: bool) -> tuple:
    """Storage order: billable first, then short descriptions, then code."""
    return (not billable, len(description), code)


class ReleaseIndex:
    """The in-memory index of one release (see the module docstring)."""

    def __init__(self, system: CodeSystem, rows: list[tuple]) -> None:
        rows.sort(key=lambda r: search_order(r[0], r[2], r[3]))
        self.system = system
        self.codes: list[str] = []
        self.displays: dict[int, str] = {}
        self.descriptions: list[str] = []
        self.kinds: list[str] = []
        self.billable = bytearray()
        self.token_ids: dict[str, int] = {}
        self.flat = array("I")
        self.offsets = array("I", [0])
        self._word_ids: dict[str, tuple[int, ...]] = {}
        self.postings: list[array] = []
        # Lines: row r's are lines row_lines[r] to row_lines[r + 1]; line i's
        # keys, essential keys and words are line_data from keys_at[i] to
        # essential_at[i], to words_at[i], to keys_at[i + 1].
        # Numbered on first sight, without a Python call per word.
        self.word_ids: dict[str, int] = defaultdict(count().__next__)
        self.key_ids: dict[str, int] = defaultdict(count().__next__)
        self.row_lines = array("I", [0])
        self.line_data = array("I")
        self.keys_at = array("I", [0])
        self.essential_at = array("I")
        self.words_at = array("I")
        self.line_marks = bytearray()
        for position, row in enumerate(rows):
            self._add(position, *row)
        del self._word_ids
        self.word_ids, self.key_ids = dict(self.word_ids), dict(self.key_ids)
        self.words = sorted(self.word_ids)
        self.vocabulary = sorted(self.token_ids)
        self.by_code = array(
            "I", sorted(range(len(self.codes)), key=self.codes.__getitem__)
        )
        self.sorted_codes = [self.codes[i] for i in self.by_code]

    def _ids(self, text: str) -> set[int]:
        """Token ids of the words of `text`."""
        ids = set()
        for word in WORD.findall(text.lower()):
            word_ids = self._word_ids.get(word)
            if word_ids is None:
                word_ids = self._word_ids[word] = tuple(
                    self._token_id(token) for token in word_stems(word)
                )
            ids.update(word_ids)
        return ids

    def _token_id(self, token: str) -> int:
        token_id = self.token_ids.get(token)
        if token_id is None:
            token_id = self.token_ids[token] = len(self.postings)
            self.postings.append(array("I"))
        return token_id

    def _add(self, position, code, display, description, billable, kind, text):
        self.codes.append(code)
        if display != display_form(self.system, code):
            self.displays[position] = display
        self.descriptions.append(description)
        extra = _after_description(text or "", description)
        self.kinds.append(kind)
        self.billable.append(billable)
        desc = self._ids(description)
        row_ids = [*desc, *(self._ids(extra) - desc)] if extra else list(desc)
        self.flat.extend(row_ids)
        self.offsets.append(len(self.flat))
        postings = self.postings
        for token_id in row_ids:
            postings[token_id].append(position)
        for line in text_lines(description + extra):
            self._add_line(analyse_line(line))
        self.row_lines.append(len(self.line_marks))

    def _add_line(self, line: Line) -> None:
        data, key_id = self.line_data, self.key_ids.__getitem__
        data.extend(map(key_id, line.keys))
        self.essential_at.append(len(data))
        data.extend(map(key_id, line.essential))
        self.words_at.append(len(data))
        data.extend(set(map(self.word_ids.__getitem__, line.words)))
        self.keys_at.append(len(data))
        self.line_marks.append(line.default | (line.encounter << 2))

    def lines(self, position: int) -> list[Line]:
        """The analysed lines of a row, with integer keys and words."""
        data, keys_at, marks = self.line_data, self.keys_at, self.line_marks
        lines = []
        for i in range(self.row_lines[position], self.row_lines[position + 1]):
            essential, words = self.essential_at[i], self.words_at[i]
            lines.append(
                Line(
                    data[keys_at[i] : essential],
                    data[words : keys_at[i + 1]],
                    data[essential:words],
                    marks[i] & 3,
                    bool(marks[i] & 4),
                )
            )
        return lines

    def scorer(self, terms: tuple[str, ...]) -> Scorer:
        """The scorer of this index's rows for a query's words: their keys as ids
        (-1 for a key no row has), the last word's prefix as the ids of the words
        it starts."""
        keys = tuple(self.key_ids.get(word_key(term), -1) for term in terms)
        last = terms[-1] if terms else ""
        prefixed = set()
        if len(last) >= MIN_PREFIX:
            for word in islice(self.words, bisect_left(self.words, last), None):
                if not word.startswith(last):
                    break
                prefixed.add(self.word_ids[word])
        if not prefixed:
            return Scorer(keys)
        return Scorer(keys, lambda words: not prefixed.isdisjoint(words))

    def __len__(self) -> int:
        return len(self.codes)

    def hit(self, position: int, score: float = 0.0) -> Hit:
        code = self.codes[position]
        display = self.displays.get(position) or display_form(self.system, code)
        return Hit(
            code,
            display,
            self.descriptions[position],
            bool(self.billable[position]),
            self.kinds[position],
            round(score, 3),
        )

    def prefix_search(self, prefix: str, limit: int) -> list[Hit]:
        """Rows whose code starts with `prefix`, in code order."""
        start = bisect_left(self.sorted_codes, prefix)
        hits = []
        for index in range(start, min(start + limit, len(self.sorted_codes))):
            if not self.sorted_codes[index].startswith(prefix):
                break
            hits.append(self.hit(self.by_code[index]))
        return hits

    def _term_ids(self, term: str, prefix: bool) -> frozenset[int]:
        """Token ids a query term matches; the last term also as a prefix."""
        token_id = self.token_ids.get(term_stem(term))
        ids = set() if token_id is None else {token_id}
        if prefix and is_prefix_of_stems(term):
            start = term[:SHORT_STEM]
            index = bisect_left(self.vocabulary, start)
            vocabulary = self.vocabulary
            while index < len(vocabulary) and vocabulary[index].startswith(start):
                if len(vocabulary[index]) <= SHORT_STEM:
                    ids.add(self.token_ids[vocabulary[index]])
                index += 1
        return frozenset(ids)

    def _rows_with_all(self, term_ids: list[frozenset[int]]) -> list[int]:
        """The first `CANDIDATES` rows having a token of every term.

        Only the last term can match several tokens (as a prefix). The walk
        follows the rarest term's rows: a single-token term's, or the prefix
        term's merged rows when they are fewer ("broken nose": the rows of
        "nose..." rather than the 20,000 of "fracture").
        """
        if not term_ids or any(not ids for ids in term_ids):
            return []
        single = sorted(
            (self.postings[next(iter(ids))] for ids in term_ids if len(ids) == 1),
            key=len,
        )
        several = [ids for ids in term_ids if len(ids) > 1]
        if not single:
            return self._union(several[0])
        driver, others = single[0], single[1:]
        if several and self._size(several[0]) < len(driver):
            driver, others, several = self._merged(several[0]), single, []
        found = []
        for position in driver:
            for posting in others:
                index = bisect_left(posting, position)
                if index == len(posting) or posting[index] != position:
                    break
            else:
                if not several or self._has(several[0], position):
                    found.append(position)
                    if len(found) == CANDIDATES:
                        break
        return found

    def _union(self, ids, limit: int | None = CANDIDATES) -> list[int]:
        """The first `limit` rows having any of these tokens, in storage order."""
        return list(islice(self._merged(ids), limit))

    def _merged(self, ids) -> Iterator[int]:
        """The rows having any of these tokens, in storage order."""
        previous = None
        for position in heapq.merge(*(self.postings[i] for i in ids)):
            if position != previous:
                yield position
                previous = position

    def _size(self, ids) -> int:
        """How many rows the postings of these tokens hold, counting repeats."""
        return sum(len(self.postings[i]) for i in ids)

    def _has(self, ids: frozenset[int], position: int) -> bool:
        if len(ids) == 1:
            return _contains(self.postings[next(iter(ids))], position)
        tokens = self.flat[self.offsets[position] : self.offsets[position + 1]]
        return not ids.isdisjoint(tokens)

    def _rows_missing_one(self, term_ids: list[frozenset[int]]) -> list[int]:
        """The first `CANDIDATES` rows having every term but at most one (3+ terms).

        Such a row has one of the two rarest terms at least: those terms' rows are
        the only ones looked at, the other terms checked by binary search.
        """
        by_size = sorted(term_ids, key=self._size)
        counts: Counter[int] = Counter()
        for ids in by_size[:2]:
            # A row of a prefix term having two of its tokens counts once.
            rows = self._union(ids, limit=None) if len(ids) > 1 else None
            counts.update(rows or self.postings[next(iter(ids))] if ids else ())
        found = []
        for position in sorted(counts):
            misses = 2 - counts[position]
            for ids in by_size[2:]:
                if misses > 1:
                    break
                if not self._has(ids, position):
                    misses += 1
            if misses <= 1:
                found.append(position)
                if len(found) == CANDIDATES:
                    break
        return found

    def _candidates(self, term_ids: list[frozenset[int]]) -> list[int]:
        """Rows having every term; short of a page, rows missing one; then any."""
        rows = self._rows_with_all(term_ids)
        count = len(term_ids)
        if len(rows) < MAX_RESULTS and 1 < count <= MAX_DROP_ONE:
            more = (
                self._union(term_ids[0] | term_ids[1])
                if count == 2
                else self._rows_missing_one(term_ids)
            )
            seen = set(rows)
            rows += [position for position in more if position not in seen]
        if not rows and count > 1:
            rows = self._union(frozenset().union(*term_ids))
        return rows

    def word_search(self, query: Query, limit: int) -> list[Hit]:
        """The best `limit` rows for a parsed word query."""
        last = len(query.terms) - 1
        term_ids = [
            self._term_ids(term, index == last)
            for index, term in enumerate(query.terms)
        ]
        scorer = self.scorer(query.terms)
        codes = self.codes
        scored = []
        for position in self._candidates(term_ids):
            code = codes[position]
            value = scorer.score(code, self.billable[position], self.lines(position))
            if value is not None:
                scored.append((-value, len(code), code, position, value))
        return [
            self.hit(entry[3], entry[4]) for entry in heapq.nsmallest(limit, scored)
        ]


def _after_description(text: str, description: str) -> str:
    """The search text past the description it starts with, else all of it."""
    rest = text[len(description) :]
    if text.startswith(description) and rest[:1] in ("", "\n"):
        return rest
    return "\n" + text


def _contains(posting: array, position: int) -> bool:
    index = bisect_left(posting, position)
    return index < len(posting) and posting[index] == position


_indexes: OrderedDict[tuple, ReleaseIndex] = OrderedDict()
_building: dict[tuple, threading.Thread] = {}
_lock = threading.Lock()


def _key(release: Release) -> tuple:
    return (release.pk, release.loaded_at, release.checksum)


def index_for(release: Release) -> ReleaseIndex | None:
    """The cached index of `release`, or None: the caller searches the database.

    A missing index is built in a background thread when `BUILD_IN_BACKGROUND`
    (the first searches of a release go to the database meanwhile, so no request
    waits seconds for it), else now. Releases over `MAX_INDEXED_ROWS` get none.
    """
    if release.row_count > MAX_INDEXED_ROWS:
        return None
    key = _key(release)
    with _lock:
        index = _indexes.get(key)
        if index is not None:
            _indexes.move_to_end(key)
            return index
        if key in _building:
            return None
        if BUILD_IN_BACKGROUND:
            _building[key] = thread = threading.Thread(
                target=_build, args=(release, key), daemon=True
            )
            thread.start()
            return None
    return _build(release, key)


def _build(release: Release, key: tuple) -> ReleaseIndex:
    try:
        rows = list(
            Code.objects.filter(release=release).values_list(
                "code", "display", "description", "billable", "kind", "search_text"
            )
        )
        index = ReleaseIndex(CodeSystem(release.system), rows)
        fresh = Release.objects.filter(pk=release.pk).first()
        if fresh is None or _key(fresh) != key:
            return index  # a load committed meanwhile: use once, do not keep
        with _lock:
            for stale in [k for k in _indexes if k[0] == release.pk]:
                del _indexes[stale]
            _indexes[key] = index
            while sum(len(i) for i in _indexes.values()) > MAX_INDEXED_ROWS:
                _indexes.popitem(last=False)
        return index
    finally:
        if _building.pop(key, None) is not None:
            connection.close()  # the build thread's own connection


def build_before_fork(releases: list[Release]) -> None:
    """Build the indexes of `releases` now, in a web server's master process
    before it forks its workers (gunicorn's `preload_app`, see
    `coderacademy/gunicorn.py`), so that every worker uses the same memory pages
    (copy-on-write) instead of building its own copy.

    The objects built are then kept out of the garbage collector's passes
    (`gc.freeze`), whose writes to them would copy their pages into each worker,
    and the database connection is closed, never to be shared with a worker.
    A release loaded later is indexed per worker, as without this, until the
    server restarts.
    """
    for release in releases:
        if release.row_count <= MAX_INDEXED_ROWS:
            _build(release, _key(release))
    connections.close_all()
    gc.freeze()
