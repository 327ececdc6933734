"""CMS order files of ICD-10-CM and ICD-10-PCS (`icd10cm-order-YYYY.txt`,
`icd10pcs_order_YYYY.txt`).

Fixed width, one code or header per line, fields separated by one space:

| columns | field |
|---|---|
| 1-5 | order number (digits) |
| 7-13 | code without dot, left-aligned, space-padded |
| 15 | 0 = header (not valid on a claim), 1 = valid |
| 17-76 | short description |
| 78- | long description |

The order file carries neither chapters, blocks nor notes. ICD-10-CM rows get their
chapter from the category's range and their parent from the longest shorter code in
the file; ICD-10-PCS codes get their axes and the section and body-system headers
from `pcs_axes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from codeformats import CodeSystem, display_form
from codesets.sources.common import read_lines
from codesets.sources.pcs_axes import pcs_records
from codesets.sources.records import CodeRecord, Kind, ParseError

ICD10CM_CHAPTERS = (
    ("1", "A00", "B99"),
    ("2", "C00", "D49"),
    ("3", "D50", "D89"),
    ("4", "E00", "E89"),
    ("5", "F01", "F99"),
    ("6", "G00", "G99"),
    ("7", "H00", "H59"),
    ("8", "H60", "H95"),
    ("9", "I00", "I99"),
    ("10", "J00", "J99"),
    ("11", "K00", "K95"),
    ("12", "L00", "L99"),
    ("13", "M00", "M99"),
    ("14", "N00", "N99"),
    ("15", "O00", "O9A"),
    ("16", "P00", "P96"),
    ("17", "Q00", "Q99"),
    ("18", "R00", "R99"),
    ("19", "S00", "T88"),
    ("20", "V00", "Y99"),
    ("21", "Z00", "Z99"),
    ("22", "U00", "U85"),
)


def icd10cm_chapter(code: str) -> str:
    """The chapter number of an ICD-10-CM code, from its category's range."""
    category = code[:3]
    for number, first, last in ICD10CM_CHAPTERS:
        if first <= category <= last:
            return number
    return ""


def _order_lines(
    lines: Iterable[tuple[int, str]], system: CodeSystem
) -> Iterator[tuple[int, str, bool, str, str]]:
    seen: set[str] = set()
    for number, line in lines:
        if not line.strip():
            continue
        if len(line) < 17:
            raise ParseError(number, "line too short for the order-file layout")
        order, code, flag = line[0:5], line[6:13].strip(), line[14]
        if not order.strip().isdigit():
            raise ParseError(number, f"order number {order!r} is not a number")
        if flag not in "01":
            raise ParseError(number, f"header/valid flag {flag!r} is not 0 or 1")
        if not code or not code.isalnum() or code != code.upper():
            raise ParseError(number, f"code {code!r} is not an upper-case code")
        if code in seen:
            raise ParseError(number, f"code {code} appears twice")
        seen.add(code)
        if system == CodeSystem.ICD10PCS and flag == "1" and len(code) != 7:
            raise ParseError(number, f"valid PCS code {code!r} is not 7 characters")
        short = line[16:76].strip()
        long = line[77:].strip() or short
        if not short:
            raise ParseError(number, "short description is empty")
        yield number, code, flag == "1", short, long


def parse_icd10cm_order(path: str | Path) -> Iterator[CodeRecord]:
    """Records of a CMS ICD-10-CM order file, in file order."""
    known: set[str] = set()
    for number, code, valid, short, long in _order_lines(
        read_lines(path), CodeSystem.ICD10CM
    ):
        if not code[0].isalpha() or len(code) < 3:
            raise ParseError(number, f"code {code!r} is not an ICD-10-CM code")
        parent = next(
            (code[:n] for n in range(len(code) - 1, 2, -1) if code[:n] in known), ""
        )
        known.add(code)
        kind = Kind.CATEGORY if len(code) == 3 else Kind.SUBCATEGORY
        yield CodeRecord(
            code=code,
            kind=kind,
            billable=valid,
            long_description=long,
            short_description=short,
            display=display_form(CodeSystem.ICD10CM, code),
            parent=parent,
            chapter=icd10cm_chapter(code),
        )


def parse_icd10pcs_order(path: str | Path) -> Iterator[CodeRecord]:
    """Records of a CMS ICD-10-PCS order file: headers, tables and split codes."""
    codes: dict[str, str] = {}
    shorts: dict[str, str] = {}
    tables: dict[str, str] = {}
    for _number, code, valid, short, long in _order_lines(
        read_lines(path), CodeSystem.ICD10PCS
    ):
        if valid:
            codes[code] = long
            shorts[code] = short
        elif len(code) == 3:
            tables[code] = long
    yield from pcs_records(codes, table_titles=tables, short_descriptions=shorts)
