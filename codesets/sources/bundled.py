"""CoderAcademy's own bundled lists in `codesets/data/`: CSV with a header row.

- `modifiers.csv`: code, level (`CPT` or `HCPCS`), description (our own words);
- `hcpcs_demo.csv`: code, short description, long description (our own words);
- `cpt_demo.csv`: code, lay description (our own words, never the AMA's).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from codeformats import SYSTEM_LABELS, CodeSystem
from codesets.sources.common import require_code
from codesets.sources.records import CodeRecord, Kind, ParseError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
LAY_NOTE = "CoderAcademy lay description, not the AMA descriptor"


def _rows(
    path: Path, columns: int, system: CodeSystem
) -> Iterator[tuple[str, list[str]]]:
    """(compact code, cells) of each data row; refuses short rows and repeats."""
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            number = reader.line_num
            if len(row) < columns or not all(c.strip() for c in row[:columns]):
                raise ParseError(number, f"expected {columns} filled columns")
            code = require_code(system, row[0], number, SYSTEM_LABELS[system])
            if code in seen:
                raise ParseError(number, f"code {code} appears twice")
            seen.add(code)
            yield code, [cell.strip() for cell in row]


def parse_modifiers(path: Path = DATA_DIR / "modifiers.csv") -> Iterator[CodeRecord]:
    """Modifier records; the level (CPT or HCPCS) is kept as the short description."""
    for code, (_raw, level, description, *_rest) in _rows(path, 3, CodeSystem.MODIFIER):
        yield CodeRecord(
            code=code,
            kind=Kind.CODE,
            billable=True,
            long_description=description,
            short_description=level,
            display=code,
            lay_description=True,
        )


def parse_hcpcs_demo(path: Path = DATA_DIR / "hcpcs_demo.csv") -> Iterator[CodeRecord]:
    """The demo HCPCS Level II codes, described in our own words."""
    for code, (_raw, short, long, *_rest) in _rows(path, 3, CodeSystem.HCPCS):
        yield CodeRecord(
            code=code,
            kind=Kind.CODE,
            billable=True,
            long_description=long,
            short_description=short,
            display=code,
            lay_description=True,
        )


def parse_cpt_demo(path: Path = DATA_DIR / "cpt_demo.csv") -> Iterator[CodeRecord]:
    """The demo CPT codes with our lay descriptions, marked as such."""
    for code, (_raw, description, *_rest) in _rows(path, 2, CodeSystem.CPT):
        yield CodeRecord(
            code=code,
            kind=Kind.CODE,
            billable=True,
            long_description=description,
            short_description=LAY_NOTE,
            display=code,
            lay_description=True,
        )
