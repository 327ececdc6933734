"""ICD-10-PCS rows from a flat code list: headers, tables and labelled axes.

CMS's PCS tables name every axis value, but the flat lists that packages and the
order file ship give only each code's long description. The labels of the body
part, approach, device and qualifier are recovered by comparing codes that differ
in one position only: what differs between their descriptions names that value
("... Open Approach" against "... Percutaneous Approach"). The root operation is
the opening words its table's descriptions share. Section and body-system names
(not in any description) come from `codesets/data/pcs_labels.json`.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from codesets.sources.records import CodeRecord, Kind

LABELS_FILE = Path(__file__).resolve().parent.parent / "data" / "pcs_labels.json"
_BOUNDARIES = {"of", "to", "from", "into", "using", "on", "in", "with", "for"}
_TOKEN = re.compile(r"[^\s,]+|,")
_Z_LABELS = {5: "No Device", 6: "No Qualifier"}


@cache
def pcs_labels() -> dict[str, dict[str, str]]:
    """Bundled names of PCS sections and body systems (public CMS table titles)."""
    return json.loads(LABELS_FILE.read_text(encoding="utf-8"))


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _join(tokens: list[str]) -> str:
    return " ".join(tokens).replace(" ,", ",").strip(" ,")


def _boundary(word: str) -> bool:
    return word == "," or word.lower() in _BOUNDARIES


def _segment(words: list[str], start: int, end: int) -> str:
    """Widen words[start:end] to the enclosing segment, between boundary words."""
    while start < end and _boundary(words[start]):
        start += 1
    while end > start and _boundary(words[end - 1]):
        end -= 1
    if end <= start:
        return ""
    while start > 0 and not _boundary(words[start - 1]):
        start -= 1
    while end < len(words) and not _boundary(words[end]):
        end += 1
    return _join(words[start:end])


def _fragment(mine: list[str], other: list[str]) -> str:
    """The segment of `mine` that differs from `other`.

    "into Left Vertebral Artery," against "into Right Vertebral Artery," differs in
    one word; widened to its segment it names the whole value.
    """
    start = 0
    while start < min(len(mine), len(other)) and mine[start] == other[start]:
        start += 1
    end = len(mine)
    limit = min(len(mine), len(other)) - start
    while len(mine) - end < limit and mine[end - 1] == other[end - 1 - len(mine)]:
        end -= 1
    return _segment(mine, start, end)


def _root_operation(section: str, descriptions: list[list[str]]) -> str:
    shared = descriptions[0]
    for words in descriptions[1:]:
        n = 0
        while n < min(len(shared), len(words)) and shared[n] == words[n]:
            n += 1
        shared = shared[:n]
    if section == "0" or not shared:
        return descriptions[0][0]
    cut = next((i for i, w in enumerate(shared) if _boundary(w)), len(shared))
    return _join(shared[: max(cut, 1)])


def _body_part(words: list[str], root: str) -> str:
    """The body part as written after the root operation, when no sibling shows it."""
    skip = len(root.split())
    if skip < len(words) and _boundary(words[skip]):
        skip += 1
    return _segment(words, skip, min(skip + 1, len(words)))


def _clean(label: str, words: list[str], root: str, position: int) -> str:
    if label.startswith(root + " ") and _join(words).startswith(label):
        label = label.removeprefix(root + " ")
    return label.removesuffix(" Approach") if position == 4 else label


def axis_labels(descriptions: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Seven axis labels for every 7-character code of `descriptions`.

    A value's label is voted on within its PCS row (first four characters) and,
    failing that, within its table (first three); an unlabelled `Z` device or
    qualifier is "No Device" or "No Qualifier", anything else unknown stays "".
    """
    tokens = {code: _tokens(text) for code, text in descriptions.items()}
    votes: dict[tuple[str, int, str], Counter[str]] = defaultdict(Counter)
    for position in range(3, 7):
        groups: dict[str, list[str]] = defaultdict(list)
        for code in tokens:
            groups[code[:position] + "_" + code[position + 1 :]].append(code)
        for members in groups.values():
            for index, code in enumerate(members if len(members) > 1 else ()):
                other = members[index - 1] if index else members[1]
                label = _fragment(tokens[code], tokens[other])
                if label:
                    votes[(code[:4], position, code[position])][label] += 1
                    votes[(code[:3], position, code[position])][label] += 1
    by_table: dict[str, list[list[str]]] = defaultdict(list)
    for code, words in tokens.items():
        if words:
            by_table[code[:3]].append(words)
    roots = {t: _root_operation(t[0], d) for t, d in by_table.items()}
    labels = pcs_labels()
    result = {}
    for code, words in tokens.items():
        root = roots.get(code[:3], "")
        axes = [
            labels["sections"].get(code[0], ""),
            labels["body_systems"].get(code[:2], ""),
            root,
        ]
        for position in range(3, 7):
            value = code[position]
            counter = votes.get((code[:4], position, value)) or votes.get(
                (code[:3], position, value)
            )
            if counter:
                label = max(counter.items(), key=lambda kv: (kv[1], -len(kv[0])))[0]
            elif value == "Z" and position in _Z_LABELS:
                label = _Z_LABELS[position]
            elif position == 3 and words:
                label = _body_part(words, root)
            else:
                label = ""
            axes.append(_clean(label, words, root, position))
        result[code] = tuple(axes)
    return result


def pcs_records(
    descriptions: Mapping[str, str],
    *,
    table_titles: Mapping[str, str] | None = None,
    short_descriptions: Mapping[str, str] | None = None,
) -> Iterator[CodeRecord]:
    """Section, body-system and table headers, then every code with its axes."""
    table_titles = table_titles or {}
    short_descriptions = short_descriptions or {}
    axes = axis_labels(descriptions)
    labels = pcs_labels()
    sections = sorted({code[0] for code in descriptions})
    systems = sorted({code[:2] for code in descriptions})
    tables = sorted({code[:3] for code in descriptions})
    for section in sections:
        name = labels["sections"].get(section, f"Section {section}")
        yield CodeRecord(section, Kind.SECTION, False, name, display=section)
    for system in systems:
        name = labels["body_systems"].get(system, f"Body system {system}")
        yield CodeRecord(
            system, Kind.BODY_SYSTEM, False, name, display=system, parent=system[0]
        )
    sample = {code[:3]: code for code in sorted(descriptions)}
    for table in tables:
        body_system, root = axes[sample[table]][1:3]
        title = table_titles.get(table) or ", ".join(
            x for x in (body_system, root) if x
        )
        yield CodeRecord(
            table, Kind.TABLE, False, title, display=table, parent=table[:2]
        )
    for code in sorted(descriptions):
        yield CodeRecord(
            code=code,
            kind=Kind.CODE,
            billable=True,
            long_description=descriptions[code],
            short_description=short_descriptions.get(code, ""),
            display=code,
            parent=code[:3],
            axes=axes[code],
        )
