"""Small helpers shared by the file parsers: reading lines, dates, code checks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from codeformats import CodeSystem, check_format
from codesets.sources.records import ParseError


def read_lines(path: str | Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, text without the line break) of a CMS or AMA text file.

    CMS files are published in Windows-1252 as often as in UTF-8; a file that is not
    valid UTF-8 is read as Windows-1252 rather than refused.
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    yield from enumerate(text.splitlines(), start=1)


def parse_date(value: str, line: int, field: str) -> date | None:
    """Read a date written YYYYMMDD, YYYY-MM-DD or MM/DD/YYYY; blank or `*` is None."""
    value = value.strip()
    if value in ("", "*", "00000000"):
        return None
    for pattern in ("%Y%m%d", "%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ParseError(line, f"{field} {value!r} is not a date (expected YYYYMMDD)")


def require_code(system: CodeSystem, value: str, line: int, field: str) -> str:
    """The compact form of `value`, or a ParseError when it is not a `system` code."""
    checked = check_format(system, value)
    if not checked.ok:
        raise ParseError(line, f"{field} {value.strip()!r} is not a valid code")
    return checked.code


def require_any_code(value: str, line: int, field: str) -> str:
    """The compact form of a CPT or HCPCS Level II code, or a ParseError."""
    for system in (CodeSystem.CPT, CodeSystem.HCPCS):
        checked = check_format(system, value)
        if checked.ok:
            return checked.code
    raise ParseError(line, f"{field} {value.strip()!r} is not a CPT or HCPCS code")
