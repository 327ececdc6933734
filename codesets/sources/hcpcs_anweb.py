"""CMS's annual alpha-numeric HCPCS Level II file, "ANWEB" fixed-width layout.

One record per line; a code's long description runs over several records (RECID
3 then 4 for codes, 7 then 8 for modifiers) ordered by SEQNUM. Field widths follow
CMS's record layout, in this order (1-based columns in `FIELDS`): HCPC, SEQNUM,
RECID, long description, short description, PRICE1-4, MULT_PI, CIM1-3, MCM1-3,
STATUTE, LABCERT1-8, XREF1-5, COV, ASC_GRP, ASC_DT, OPPS, OPPS_PI, OPPS_DT,
PROCNOTE, BETOS, filler, TOS1-5, ANEST_BU, ADD_DT, ACT_EFF_DT, TERM_DT, ACTION_CD.
Modifier records are skipped: modifiers load from their own list.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from codeformats import CodeSystem
from codesets.sources.common import parse_date, read_lines, require_code
from codesets.sources.records import CodeRecord, Kind, ParseError

_WIDTHS = (
    [("HCPC", 5), ("SEQNUM", 5), ("RECID", 1), ("LONG", 80), ("SHORT", 28)]
    + [(f"PRICE{i}", 2) for i in range(1, 5)]
    + [("MULT_PI", 1)]
    + [(f"CIM{i}", 6) for i in range(1, 4)]
    + [(f"MCM{i}", 8) for i in range(1, 4)]
    + [("STATUTE", 10)]
    + [(f"LABCERT{i}", 3) for i in range(1, 9)]
    + [(f"XREF{i}", 5) for i in range(1, 6)]
    + [("COV", 1), ("ASC_GRP", 2), ("ASC_DT", 8), ("OPPS", 2), ("OPPS_PI", 1)]
    + [("OPPS_DT", 8), ("PROCNOTE", 4), ("BETOS", 3), ("FILLER", 1)]
    + [(f"TOS{i}", 1) for i in range(1, 6)]
    + [("ANEST_BU", 3), ("ADD_DT", 8), ("ACT_EFF_DT", 8), ("TERM_DT", 8)]
    + [("ACTION_CD", 1)]
)


def _columns() -> dict[str, tuple[int, int]]:
    columns, start = {}, 0
    for name, width in _WIDTHS:
        columns[name] = (start, start + width)
        start += width
    return columns


FIELDS = _columns()
RECORD_LENGTH = FIELDS["ACTION_CD"][1]
MIN_LENGTH = FIELDS["SHORT"][1]
CODE_RECORDS = {"3": "first", "4": "continuation"}
MODIFIER_RECORDS = {"7", "8"}


def _field(line: str, name: str) -> str:
    start, end = FIELDS[name]
    return line[start:end].strip()


def parse_anweb(path: str | Path) -> Iterator[CodeRecord]:
    """Code records of an ANWEB file, one per HCPCS code."""
    current: dict | None = None
    seen: set[str] = set()
    for number, line in read_lines(path):
        if not line.strip():
            continue
        if len(line) < MIN_LENGTH:
            raise ParseError(number, f"record shorter than {MIN_LENGTH} columns")
        recid = _field(line, "RECID")
        if recid in MODIFIER_RECORDS:
            continue
        if recid not in CODE_RECORDS:
            raise ParseError(number, f"RECID {recid!r} is not 3, 4, 7 or 8")
        code = require_code(CodeSystem.HCPCS, _field(line, "HCPC"), number, "HCPC")
        if not _field(line, "SEQNUM").isdigit():
            raise ParseError(number, "SEQNUM is not a number")
        if recid == "4":
            if current is None or current["code"] != code:
                raise ParseError(
                    number, f"continuation of {code} without its first line"
                )
            current["long"].append(_field(line, "LONG"))
            continue
        if code in seen:
            raise ParseError(number, f"HCPC {code} appears twice")
        seen.add(code)
        if current:
            yield _record(current)
        current = {
            "code": code,
            "long": [_field(line, "LONG")],
            "short": _field(line, "SHORT"),
            "xref": tuple(
                x for i in range(1, 6) if (x := _field(line, f"XREF{i}").upper())
            ),
            "effective": parse_date(_field(line, "ACT_EFF_DT"), number, "ACT_EFF_DT")
            or parse_date(_field(line, "ADD_DT"), number, "ADD_DT"),
            "terminated": parse_date(_field(line, "TERM_DT"), number, "TERM_DT"),
        }
    if current:
        yield _record(current)


def _record(data: dict) -> CodeRecord:
    long = " ".join(part for part in data["long"] if part)
    return CodeRecord(
        code=data["code"],
        kind=Kind.CODE,
        billable=True,
        long_description=long or data["short"],
        short_description=data["short"],
        display=data["code"],
        effective_on=data["effective"],
        terminated_on=data["terminated"],
        replaced_by=data["xref"],
    )
