"""Explanations drawn from the code sets, for mistakes the key's author did not
foresee: symptoms integral to a coded diagnosis, Excludes1 pairs, a missing
"use additional code" or "code first" partner, a code changed between releases,
and the CC/MCC status of inpatient diagnoses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from codeformats import CodeSystem, FormatCheck, display_form, reference_covers
from grading.engine.codebook import CodeStatus
from grading.engine.result import LineResult, LineStatus
from grading.engine.schema import AnswerKey, Response, Section, Setting

SYMPTOM_CHAPTER = "R"
INTEGRAL_SYMPTOM = (
    "{symptom} is a symptom code: a sign or symptom routinely part of a confirmed "
    "diagnosis (here {definitive}) is not coded separately (ICD-10-CM Official "
    "Guidelines I.B.5, I.C.18.b)."
)
EXCLUDES1_PAIR = (
    "{code} and {other} are not coded together: {code} has an Excludes1 note for "
    "{other} (ICD-10-CM Official Guidelines I.A.12.a)."
)
USE_ADDITIONAL = (
    '{partner} has a "use additional code" note that calls for {code} '
    "(ICD-10-CM Official Guidelines I.A.13, I.B.7)."
)
CODE_FIRST = (
    '{partner} has a "code first" note: {code} is coded with it, and first '
    "(ICD-10-CM Official Guidelines I.A.13, I.B.7)."
)
CC_MCC_NAMES = {"cc": "CC", "mcc": "MCC"}
SCORED = (LineStatus.EXACT, LineStatus.PARTIAL)

Statuses = Mapping[tuple[CodeSystem, str], CodeStatus]


def _cm(code: str) -> str:
    return display_form(CodeSystem.ICD10CM, code)


def explain_lines(
    key: AnswerKey,
    response: Response,
    lines: tuple[LineResult, ...],
    checks: Mapping[Section, Sequence[FormatCheck]],
    statuses: Statuses,
) -> tuple[LineResult, ...]:
    """The lines with their `explanations` and, inpatient, `cc_mcc` filled in."""

    def status(code: str) -> CodeStatus | None:
        return statuses.get((CodeSystem.ICD10CM, code))

    given = [check.code for check in checks[Section.DIAGNOSES] if check.ok]
    definitive = [
        checks[Section.DIAGNOSES][line.given_index].code
        for line in lines
        if line.section is Section.DIAGNOSES
        and line.status in SCORED
        and not checks[Section.DIAGNOSES][line.given_index].code.startswith(
            SYMPTOM_CHAPTER
        )
    ]
    explained = []
    for line in lines:
        notes: list[str] = []
        cc_mcc = ""
        if line.section is Section.DIAGNOSES:
            own = (
                checks[Section.DIAGNOSES][line.given_index]
                if line.given_index is not None
                else None
            )
            code = own.code if own is not None and own.ok else ""
            if line.expected_index is not None:
                key_code = key.diagnoses[line.expected_index].code
                notes += _partner_notes(key_code, line, given, status)
                severity = status(key_code)
            else:
                severity = status(code) if code else None
            # CC and MCC count only as secondary diagnoses.
            secondary = line.expected_index != 0 and line.given_index != 0
            if key.setting is Setting.INPATIENT and severity and secondary:
                cc_mcc = severity.cc_mcc
            if code:
                notes += _given_notes(code, line, given, definitive, status)
        elif line.status is LineStatus.INVALID and line.given_index is not None:
            check = checks[line.section][line.given_index]
            found = statuses.get((check.system, check.code)) if check.ok else None
            if found is not None and found.history:
                notes.append(found.history)
        if notes or cc_mcc:
            line = replace(line, explanations=tuple(notes), cc_mcc=cc_mcc)
        explained.append(line)
    return tuple(explained)


def _partner_notes(key_code, line, given, status) -> list[str]:
    """A missing key diagnosis that another listed code's notes call for."""
    if line.status is not LineStatus.MISSING:
        return []
    notes = []
    for partner in given:
        found = status(partner)
        if found is None:
            continue
        names = {"partner": _cm(partner), "code": _cm(key_code)}
        if any(reference_covers(r, key_code) for r in found.use_additional):
            notes.append(USE_ADDITIONAL.format(**names))
        if any(reference_covers(r, key_code) for r in found.code_first):
            notes.append(CODE_FIRST.format(**names))
    return notes


def _given_notes(code, line, given, definitive, status) -> list[str]:
    notes = []
    if (
        line.status is LineStatus.EXTRA
        and code.startswith(SYMPTOM_CHAPTER)
        and definitive
    ):
        notes.append(
            INTEGRAL_SYMPTOM.format(
                symptom=_cm(code), definitive=", ".join(map(_cm, definitive))
            )
        )
    found = status(code)
    if found is not None and found.excludes1:
        for other in given:
            if other != code and any(
                reference_covers(r, other) for r in found.excludes1
            ):
                notes.append(EXCLUDES1_PAIR.format(code=_cm(code), other=_cm(other)))
    if found is not None and found.history and line.status is not LineStatus.EXACT:
        notes.append(found.history)
    return notes
