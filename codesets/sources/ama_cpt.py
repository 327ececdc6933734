"""The AMA's licensed CPT data files (LONGULT, MEDU, SHORTU text files).

Tab-separated, no header: the CPT code, then its descriptor. Only institutions
that hold an AMA licence load this file; its text is never shipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from codeformats import CodeSystem
from codesets.sources.common import read_lines, require_code
from codesets.sources.records import CodeRecord, Kind, ParseError


def parse_cpt_file(path: str | Path) -> Iterator[CodeRecord]:
    """Code records of an AMA CPT descriptor file."""
    seen: set[str] = set()
    for number, line in read_lines(path):
        if not line.strip():
            continue
        code, tab, descriptor = line.partition("\t")
        if not tab or not descriptor.strip():
            raise ParseError(number, "expected a code, a tab and a descriptor")
        code = require_code(CodeSystem.CPT, code, number, "CPT code")
        if code in seen:
            raise ParseError(number, f"CPT code {code} appears twice")
        seen.add(code)
        yield CodeRecord(
            code=code,
            kind=Kind.CODE,
            billable=True,
            long_description=descriptor.strip(),
            display=code,
        )
