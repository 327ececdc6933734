"""How well a row's text answers a word query, read the way the ICD-10-CM Index reads.

The Index leads from a main term, narrowed by modifiers, to a code; a main term on
its own leads to its default, the code whose tabular text is that term and nothing
more specific ("Pneumonia, unspecified organism", "Asthma NOS"). So a row is scored
by its best line (its description or one of its inclusion terms):

- the share of the query's words the line has, compared as whole words with a
  plural and a few derivational endings folded (diabetes and diabetic, hypertension
  and hypertensive), never as prefixes of other words (influenza is not influenzae);
  the last query word, maybe half typed, also matches as a prefix, for half credit;
- less a little for each essential word of the line the query did not ask for
  (words in parentheses and brackets are nonessential modifiers, as in the Index,
  and cost nothing): the more specific row ranks below the one asked for;
- plus a bonus when the line has every query word, nothing more, and marks itself
  as the default (unspecified, NOS, uncomplicated, without ...); half of it for a
  line that says "unspecified" or "NOS" with more words (the unspecified abdominal
  hernia is the default of "hernia" before the umbilical one).

Then the share of query words anywhere in the row, billable codes before headers,
shorter codes first. Pure Python: no Django, so it ranks rows from any source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from functools import lru_cache
from math import inf
from typing import NamedTuple

WORD = re.compile(r"[a-z0-9]+")
_NONESSENTIAL = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# A query word found in the line (full), or its half-typed last word (prefix).
LINE_WEIGHT, PREFIX_CREDIT = 4.0, 0.5
EXTRA_WORD_COST, MAX_EXTRA_WORDS = 0.4, 5
DEFAULT_BONUS, IMPLIED_DEFAULT_BONUS, UNSPECIFIED_BONUS = 1.0, 0.7, 0.5
# How a line marks itself as a default: implied ("without complications",
# "essential", i.e. primary: the default of the words before it), or said
# ("unspecified", "NOS": the default of its category).
NOT_DEFAULT, IMPLIED, UNSPECIFIED = 0, 1, 2
DEFAULT_MARKERS = frozenset({"unspecified", "nos", "uncomplicated", "unsp"})
IMPLIED_MARKERS = frozenset({"essential"})
ANYWHERE_WEIGHT = 2.0
BILLABLE_BONUS, INITIAL_ENCOUNTER_BONUS, CODE_LENGTH_COST = 0.6, 0.2, 0.04
FILLER_WORDS = frozenset(
    {
        *("a", "an", "and", "are", "as", "at", "by", "due", "for", "from", "in"),
        *("into", "is", "of", "on", "or", "the", "to", "with", "which"),
    }
)
ENCOUNTER_CLAUSES = ("initial encounter", "subsequent encounter", "sequela")
_SUFFIXES = ("ically", "ical", "ation", "ious", "ous", "ion", "ive", "ity")
_SUFFIXES += ("ing", "ed", "ic", "al", "es", "e", "y")
MIN_ROOT = 4
MIN_PREFIX = 3


# The tabular list has some 12,000 different words: each is folded once.
@lru_cache(maxsize=65_536)
def word_key(word: str) -> str:
    """The form two words are compared in: lower-case, no plural, no common
    derivational ending (`diabetes`, `diabetic` -> `diabet`). Latin forms in -ae
    (`influenzae`, `pneumoniae`) are different words and stay whole."""
    if word.endswith("ae"):
        return word
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_ROOT:
            return word[: -len(suffix)]
    return word


class Line(NamedTuple):
    """One line of a row's text, analysed once: every word's key, its words (for
    the half-typed last query word), the essential words' keys that would narrow
    a query, how it marks itself as a default, and whether it is an initial
    encounter. The search index stores lines with words and keys as integer ids
    (`codesets.search_index`); scoring reads either form."""

    keys: Collection[Hashable]
    words: Iterable[Hashable]
    essential: Iterable[Hashable]
    default: int
    encounter: bool


def analyse_line(line: str) -> Line:
    """Split `line` into clauses at commas; the first clause names the condition,
    later clauses that say "unspecified" or "not specified" only mark a default."""
    lowered = line.lower()
    words = tuple(WORD.findall(lowered))
    essential: list[str] = []
    default = NOT_DEFAULT
    for number, clause in enumerate(_NONESSENTIAL.sub(" ", lowered).split(",")):
        clause_words = WORD.findall(clause)
        if number and clause.strip().startswith(ENCOUNTER_CLAUSES):
            continue
        if number and (
            DEFAULT_MARKERS.intersection(clause_words) or "not specified" in clause
        ):
            default = UNSPECIFIED
            continue
        for word in clause_words:
            if word in DEFAULT_MARKERS:
                default = UNSPECIFIED
                continue
            if word == "without":
                default = max(default, IMPLIED)
                break
            if word in IMPLIED_MARKERS:
                default = max(default, IMPLIED)
                continue
            if word not in FILLER_WORDS:
                essential.append(word_key(word))
    keys = frozenset(word_key(word) for word in words)
    encounter = "initial encounter" in lowered
    return Line(keys, words, tuple(essential), default, encounter)


def text_lines(text: str) -> list[str]:
    """The lines of a row's text (description first, then inclusion terms)."""
    return [line for line in text.split("\n") if line]


# Bounded: a worker keeps the analysis of the rows of its recent searches only.
@lru_cache(maxsize=4_096)
def analyse_text(text: str) -> tuple[Line, ...]:
    """The analysed lines of a row's text."""
    return tuple(analyse_line(line) for line in text_lines(text))


class Scorer:
    """Scores rows for one query: its words' keys in query order, and whether a
    line's words include the half-typed last query word (`prefix`, None when that
    word is too short to count as one). Keys and words are strings for rows read
    as text (`for_terms`), integer ids for the search index's rows."""

    def __init__(
        self,
        keys: tuple[Hashable, ...],
        prefix: Callable[[Iterable[Hashable]], bool] | None = None,
    ) -> None:
        self.keys = keys
        self.key_set = frozenset(keys)
        self.prefix = prefix

    @classmethod
    def for_terms(cls, terms: tuple[str, ...]) -> Scorer:
        """The scorer of rows read as text, for a query's words (folded and
        expanded, in query order)."""
        last = terms[-1] if terms else ""

        def prefix(words: Iterable[str]) -> bool:
            return any(word.startswith(last) for word in words)

        keys = tuple(word_key(term) for term in terms)
        return cls(keys, prefix if len(last) >= MIN_PREFIX else None)

    def text_score(self, code: str, billable: bool, text: str) -> float | None:
        """The score of a row read as text (see `score`)."""
        return self.score(code, billable, analyse_text(text))

    def _found(self, line: Line) -> list[float]:
        """For each query word, whether `line` has it (1), or its prefix (half)."""
        found = [1.0 if key in line.keys else 0.0 for key in self.keys]
        if self.prefix is not None and not found[-1] and self.prefix(line.words):
            found[-1] = PREFIX_CREDIT
        return found

    def line_score(self, line: Line, found: list[float]) -> float:
        """One line: query words found, its extra words, the default bonus."""
        share = sum(found) / len(found)
        extra = sum(1 for key in line.essential if key not in self.key_set)
        value = LINE_WEIGHT * share - EXTRA_WORD_COST * min(extra, MAX_EXTRA_WORDS)
        if share == 1 and extra == 0 and line.default == UNSPECIFIED:
            value += DEFAULT_BONUS
        elif share == 1 and extra == 0 and line.default == IMPLIED:
            value += IMPLIED_DEFAULT_BONUS
        elif share == 1 and line.default == UNSPECIFIED:
            value += UNSPECIFIED_BONUS
        return value

    def score(self, code: str, billable: bool, lines: Sequence[Line]) -> float | None:
        """The score of a row, or None when the row has none of the query words
        as a word (a stem shared by a different word, such as influenza and
        influenzae, is no match)."""
        if not lines or not self.keys:
            return None
        best = -inf
        anywhere = [0.0] * len(self.keys)
        for line in lines:
            found = self._found(line)
            best = max(best, self.line_score(line, found))
            anywhere = list(map(max, anywhere, found))
        matched = sum(anywhere)
        if not matched:
            return None
        return (
            best
            + ANYWHERE_WEIGHT * matched / len(self.keys)
            + (BILLABLE_BONUS if billable else 0.0)
            + (INITIAL_ENCOUNTER_BONUS if lines[0].encounter else 0.0)
            - CODE_LENGTH_COST * len(code)
        )
