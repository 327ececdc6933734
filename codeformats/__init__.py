"""Code formats of each code system: normalisation, display form, format checks,
PCS axes and note references.

A top-level package with no Django and no project import on purpose: the pure
grading engine and the Django apps (code sets, grading, content) all depend on
it, and it on nothing of theirs (an import-linter contract in `pyproject.toml`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class CodeSystem(StrEnum):
    ICD10CM = "icd10cm"
    ICD10PCS = "icd10pcs"
    HCPCS = "hcpcs"
    CPT = "cpt"
    MODIFIER = "modifier"


SYSTEM_LABELS = {
    CodeSystem.ICD10CM: "ICD-10-CM",
    CodeSystem.ICD10PCS: "ICD-10-PCS",
    CodeSystem.HCPCS: "HCPCS Level II",
    CodeSystem.CPT: "CPT",
    CodeSystem.MODIFIER: "Modifier",
}

PCS_AXES = (
    "section",
    "body system",
    "root operation",
    "body part",
    "approach",
    "device",
    "qualifier",
)

_ICD10CM = re.compile(r"^[A-Z][0-9][0-9A-Z]([0-9A-Z]{1,4})?$")
_ICD10PCS = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")
_CPT = re.compile(r"^([0-9]{5}|[0-9]{4}[FTU])$")
_HCPCS = re.compile(r"^[A-V][0-9]{4}$")
_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
_STRIP = re.compile(r"[\s.\-]")

FORMAT_HINTS = {
    CodeSystem.ICD10CM: (
        "a letter, a digit, then 1 to 5 letters or digits (e.g. E11.65)"
    ),
    CodeSystem.ICD10PCS: "exactly 7 letters or digits, without I or O (e.g. 0DTJ4ZZ)",
    CodeSystem.CPT: "5 digits, or 4 digits followed by F, T or U (e.g. 99214, 0042T)",
    CodeSystem.HCPCS: "a letter A to V followed by 4 digits (e.g. J1100)",
    CodeSystem.MODIFIER: "2 letters or digits (e.g. 25, LT)",
}


@dataclass(frozen=True)
class FormatCheck:
    """The outcome of checking one raw input against a system's format."""

    system: CodeSystem
    raw: str
    code: str
    ok: bool
    message: str

    @property
    def display(self) -> str:
        return display_form(self.system, self.code) if self.ok else self.raw


def compact(raw: str) -> str:
    """Upper-case the input and drop spaces, dots and dashes: `e11.65 ` -> `E1165`."""
    return _STRIP.sub("", raw).upper()


def reference_covers(reference: str, code: str) -> bool:
    """Whether a tabular note's reference to codes, a prefix (`E10`) or a range of
    prefixes (`I20:I25`), covers the compact code."""
    first, _, last = reference.partition(":")
    if last:
        return first <= code[: len(first)] and code[: len(last)] <= last
    return code.startswith(first)


def display_form(system: CodeSystem, code: str) -> str:
    """The form coders read: ICD-10-CM gets its dot after the third character."""
    if system == CodeSystem.ICD10CM and len(code) > 3:
        return f"{code[:3]}.{code[3:]}"
    return code


def check_format(system: CodeSystem | str, raw: str) -> FormatCheck:
    """Normalise `raw` and check it against the format of `system`.

    The returned `code` is the compact form (no dot), the key to every look-up.
    """
    system = CodeSystem(system)
    code = compact(raw)
    label = SYSTEM_LABELS[system]
    if not code:
        return FormatCheck(system, raw, code, False, f"Enter a code ({label}).")
    pattern = {
        CodeSystem.ICD10CM: _ICD10CM,
        CodeSystem.ICD10PCS: _ICD10PCS,
        CodeSystem.CPT: _CPT,
        CodeSystem.HCPCS: _HCPCS,
        CodeSystem.MODIFIER: _MODIFIER,
    }[system]
    if pattern.match(code):
        return FormatCheck(system, raw, code, True, "")
    message = (
        f"{raw.strip()[:40]!r} is not a valid {label} code: "
        f"expected {FORMAT_HINTS[system]}."
    )
    if (
        system == CodeSystem.ICD10PCS
        and len(code) == 7
        and ("I" in code or "O" in code)
    ):
        message = (
            f"{raw.strip()[:40]!r} is not an ICD-10-PCS code: PCS never uses the "
            "letters I and O (they would be confused with 1 and 0)."
        )
    return FormatCheck(system, raw, code, False, message)


def procedure_system(code: str) -> CodeSystem | None:
    """Tell CPT from HCPCS Level II by shape, for service lines that may hold either."""
    compacted = compact(code)
    if _CPT.match(compacted):
        return CodeSystem.CPT
    if _HCPCS.match(compacted):
        return CodeSystem.HCPCS
    return None


# Evaluation and management services: the CPT range NCCI and payers treat apart.
EM_FIRST, EM_LAST = 99202, 99499


def is_em(code: str) -> bool:
    """Whether `code` is an E/M service code (99202-99499)."""
    return code.isdigit() and EM_FIRST <= int(code) <= EM_LAST


def icd10cm_category(code: str) -> str:
    """The three-character category of a compact ICD-10-CM code."""
    return code[:3]


def pcs_axes(code: str) -> dict[str, str]:
    """Split a compact 7-character ICD-10-PCS code into its named axes."""
    return dict(zip(PCS_AXES, code, strict=True))
