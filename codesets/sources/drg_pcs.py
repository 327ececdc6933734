"""The full FY2026 ICD-10-PCS list shipped by the `drg` package (~78,600 codes).

`drg/data/tuva/icd_10_pcs.csv`: no header, two quoted columns, code and long
description (CMS, public domain, via the Tuva project). Axes come from `pcs_axes`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from importlib import metadata, resources
from pathlib import Path

from codeformats import CodeSystem, check_format
from codesets.sources.pcs_axes import pcs_records
from codesets.sources.records import CodeRecord, ParseError

VERSION = "FY2026"
EFFECTIVE_FROM = date(2025, 10, 1)


def source_label() -> str:
    """Where the codes came from, as stored on the release."""
    return f"drg {metadata.version('drg')} (icd_10_pcs.csv)"


def package_file() -> Path:
    """The bundled CSV inside the installed `drg` package."""
    return Path(str(resources.files("drg") / "data" / "tuva" / "icd_10_pcs.csv"))


def parse_pcs_csv(text: str, prefix: str = "") -> Iterator[CodeRecord]:
    """Records of a two-column code,description CSV; `prefix` keeps matching codes."""
    descriptions: dict[str, str] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row:
            continue
        if len(row) < 2 or not row[1].strip():
            raise ParseError(number, "expected two columns: code and description")
        checked = check_format(CodeSystem.ICD10PCS, row[0])
        if not checked.ok:
            raise ParseError(number, f"{row[0]!r} is not an ICD-10-PCS code")
        if checked.code.startswith(prefix):
            descriptions[checked.code] = row[1].strip()
    yield from pcs_records(descriptions)


def parse_package(prefix: str = "") -> Iterator[CodeRecord]:
    """Every record of the package's PCS list (or only codes starting `prefix`)."""
    yield from parse_pcs_csv(package_file().read_text(encoding="utf-8"), prefix)
