"""CMS's NCCI practitioner files: PTP edits and medically unlikely edits (MUEs).

PTP (`ccipra-vNNN-...txt`), tab-separated: column 1 code, column 2 code, "in
existence prior to 1996" (`*` or blank), effective date (YYYYMMDD), deletion date
(YYYYMMDD, or `*` when none), modifier indicator (0 not allowed, 1 allowed,
9 not applicable), PTP edit rationale.

MUE (`MCR_MUE_PractitionerServices_...csv`), comma-separated: HCPCS/CPT code, MUE
value, MUE adjudication indicator ("1 Line Edit", "2 Date of Service Edit:
Policy", "3 Date of Service Edit: Clinical"), MUE rationale.

Both files open with title, copyright and column-heading lines: every line before
the first line that starts with a code is skipped; after it, each line must parse.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from codeformats import procedure_system
from codesets.sources.common import parse_date, read_lines, require_any_code
from codesets.sources.records import MueRecord, ParseError, PtpRecord

MODIFIER_INDICATORS = {"0", "1", "9"}
ADJUDICATION_INDICATORS = {"1", "2", "3"}


def _data_rows(path: str | Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    started = False
    for number, line in read_lines(path):
        if not line.strip():
            continue
        row = next(csv.reader(io.StringIO(line), delimiter=delimiter))
        if not started and (not row or procedure_system(row[0].strip()) is None):
            continue
        started = True
        yield number, [cell.strip() for cell in row]


def parse_ptp(path: str | Path) -> Iterator[PtpRecord]:
    """PTP edits of a practitioner PTP file."""
    for number, row in _data_rows(path, "\t"):
        if len(row) < 6:
            raise ParseError(number, f"expected at least 6 columns, found {len(row)}")
        indicator = row[5][:1]
        if indicator not in MODIFIER_INDICATORS:
            raise ParseError(number, f"modifier indicator {row[5]!r} is not 0, 1 or 9")
        effective = parse_date(row[3], number, "effective date")
        if effective is None:
            raise ParseError(number, "effective date is missing")
        yield PtpRecord(
            column1=require_any_code(row[0], number, "column 1"),
            column2=require_any_code(row[1], number, "column 2"),
            effective_on=effective,
            deleted_on=parse_date(row[4], number, "deletion date"),
            modifier_indicator=indicator,
            rationale=row[6] if len(row) > 6 else "",
        )


def parse_mue(path: str | Path) -> Iterator[MueRecord]:
    """MUEs of a practitioner MUE file."""
    seen: set[str] = set()
    for number, row in _data_rows(path, ","):
        if len(row) < 3:
            raise ParseError(number, f"expected at least 3 columns, found {len(row)}")
        code = require_any_code(row[0], number, "HCPCS/CPT code")
        if code in seen:
            raise ParseError(number, f"code {code} appears twice")
        seen.add(code)
        if not row[1].isdigit():
            raise ParseError(number, f"MUE value {row[1]!r} is not a whole number")
        indicator = row[2][:1]
        if indicator not in ADJUDICATION_INDICATORS:
            raise ParseError(
                number, f"adjudication indicator {row[2]!r} does not start 1, 2 or 3"
            )
        yield MueRecord(
            code=code,
            value=int(row[1]),
            adjudication_indicator=row[2],
            rationale=row[3] if len(row) > 3 else "",
        )
