"""Edits over a set of codes: Excludes1 pairs, NCCI PTP pairs, MUE unit limits,
and sex and age conflicts (`data/sex_age_rules.csv`, CoderAcademy's own rules
drawn from the chapters of each code set)."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import permutations
from pathlib import Path

from django.db.models import Q

from codeformats import (
    CodeSystem,
    compact,
    display_form,
    is_em,
    procedure_system,
    reference_covers,
)
from codesets.models import Code, MedicallyUnlikelyEdit, PtpEdit
from codesets.selectors import release_for

EXCLUDES1 = "{a} and {b} are not coded together: {owner} has an Excludes1 note for {b}."
PTP_NEVER = (
    "{column2} is bundled into {column1} (NCCI PTP edit, modifier indicator 0): no "
    "modifier allows the pair; report {column1} only."
)
PTP_MODIFIER = (
    "{column2} is bundled into {column1} (NCCI PTP edit, modifier indicator 1): "
    "report both only for distinct services, with 59, XE, XP, XS or XU on {column2}."
)
PTP_EM_MODIFIER = (
    "{column2} is bundled into {column1} (NCCI PTP edit, modifier indicator 1): "
    "report the E/M service only when it is significant and separately "
    "identifiable, with modifier 25 on {column2}; 59 and the X modifiers are not "
    "used on E/M services."
)
PTP_BYPASSED = "{column2} with {column1}: the NCCI PTP edit is bypassed by {modifier}."
MUE_EXCEEDED = "{code}: {units} units exceed the MUE of {value} ({indicator})."
SEX_CONFLICT = "{code} is for {expected} patients only ({reason})."
AGE_CONFLICT = (
    "{code} is for patients aged {low} to {high} ({reason}); the patient is {age}."
)
# The NCCI-associated modifiers that may bypass a PTP edit with indicator 1 (NCCI
# Policy Manual ch. I §D-E): on an E/M service only its own (24, 25, 57); on any
# other service the anatomic, global-surgery and distinct-service ones, never 25.
NCCI_EM_MODIFIERS = frozenset({"24", "25", "57"})
NCCI_MODIFIERS = frozenset(
    {"27", "58", "59", "78", "79", "91", "XE", "XP", "XS", "XU"}
    | {"LT", "RT", "LC", "LD", "LM", "RC", "RI", "E1", "E2", "E3", "E4", "FA", "TA"}
    | {f"F{i}" for i in range(1, 10)}
    | {f"T{i}" for i in range(1, 10)}
)
RULES_FILE = Path(__file__).resolve().parent / "data" / "sex_age_rules.csv"
SEX_WORDS = {"F": "female", "M": "male"}


@dataclass(frozen=True)
class ServiceLine:
    """A CPT or HCPCS line: code, modifiers and units."""

    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1


@dataclass(frozen=True)
class EditFinding:
    """One edit that fires; `blocking` ones make the claim line wrong."""

    kind: str
    codes: tuple[str, ...]
    message: str
    blocking: bool = True


@dataclass(frozen=True)
class _Rule:
    system: str
    first: str
    last: str
    sex: str
    min_age: int | None
    max_age: int | None
    reason: str

    def covers(self, code: str) -> bool:
        head = code[: len(self.first)]
        return self.first <= head <= self.last


@cache
def sex_age_rules() -> tuple[_Rule, ...]:
    """The bundled sex and age rules."""
    with RULES_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            _Rule(
                row["system"],
                row["first"],
                row["last"],
                row["sex"],
                int(row["min_age"]) if row["min_age"] else None,
                int(row["max_age"]) if row["max_age"] else None,
                row["reason"],
            )
            for row in csv.DictReader(handle)
        )


def check_edits(
    *,
    date_of_service: date,
    diagnoses: Sequence[str] = (),
    procedures: Sequence[ServiceLine] = (),
    pcs_procedures: Sequence[str] = (),
    sex: str | None = None,
    age: int | None = None,
) -> list[EditFinding]:
    """Every edit that fires on this set of codes for one patient and one day."""
    diagnoses = [compact(c) for c in diagnoses]
    lines = [
        ServiceLine(
            compact(line.code), tuple(m.upper() for m in line.modifiers), line.units
        )
        for line in procedures
    ]
    findings = excludes1_findings(diagnoses, date_of_service)
    findings += ptp_findings(lines, date_of_service)
    findings += mue_findings(lines, date_of_service)
    coded = [(CodeSystem.ICD10CM, c) for c in diagnoses]
    coded += [(CodeSystem.ICD10PCS, compact(c)) for c in pcs_procedures]
    coded += [
        (procedure_system(line.code) or CodeSystem.CPT, line.code) for line in lines
    ]
    findings += demographic_findings(coded, sex, age)
    return findings


def excludes1_findings(diagnoses: Sequence[str], dos: date) -> list[EditFinding]:
    """Pairs of ICD-10-CM codes where one's Excludes1 note names the other."""
    release = release_for(CodeSystem.ICD10CM, dos)
    if release is None or len(diagnoses) < 2:
        return []
    wanted = {c[:n] for c in diagnoses for n in range(3, len(c) + 1)}
    rows = {
        r.code: r
        for r in Code.objects.filter(release=release, code__in=wanted).only(
            "code", "display", "block", "excludes1"
        )
    }
    blocks = {r.block for r in rows.values() if r.block}
    rows.update(
        (r.code, r)
        for r in Code.objects.filter(release=release, code__in=blocks).only(
            "code", "display", "block", "excludes1"
        )
    )
    findings = []
    for a, b in permutations(dict.fromkeys(diagnoses), 2):
        owner = _excluding_ancestor(a, b, rows)
        if owner is not None and not (a < b and _excluding_ancestor(b, a, rows)):
            findings.append(
                EditFinding(
                    "excludes1",
                    (a, b),
                    EXCLUDES1.format(
                        a=display_form(CodeSystem.ICD10CM, a),
                        b=display_form(CodeSystem.ICD10CM, b),
                        owner=owner.display,
                    ),
                )
            )
    return findings


def _excluding_ancestor(code: str, other: str, rows: dict[str, Code]) -> Code | None:
    heads = [code[:n] for n in range(3, len(code) + 1)]
    category = rows.get(code[:3])
    if category is not None and category.block:
        heads.insert(0, category.block)
    for head in heads:
        row = rows.get(head)
        if row and any(reference_covers(ref, other) for ref in row.excludes1):
            return row
    return None


def ptp_findings(lines: Sequence[ServiceLine], dos: date) -> list[EditFinding]:
    """NCCI PTP pairs among the lines, and whether a modifier bypasses each."""
    release = release_for("ncci_ptp", dos)
    codes = {line.code for line in lines}
    if release is None or len(codes) < 2:
        return []
    edits = PtpEdit.objects.filter(
        release=release, column1__in=codes, column2__in=codes, effective_on__lte=dos
    ).filter(Q(deleted_on__isnull=True) | Q(deleted_on__gt=dos))
    modifiers = defaultdict(set)
    for line in lines:
        modifiers[line.code].update(line.modifiers)
    findings = []
    for edit in edits.exclude(
        modifier_indicator=PtpEdit.ModifierIndicator.NOT_APPLICABLE
    ):
        names = {"column1": edit.column1, "column2": edit.column2}
        pair = (edit.column1, edit.column2)
        em = is_em(edit.column2)
        bypassing = NCCI_EM_MODIFIERS if em else NCCI_MODIFIERS
        used = sorted(modifiers[edit.column2] & bypassing)
        if edit.modifier_indicator == PtpEdit.ModifierIndicator.NOT_ALLOWED:
            findings.append(EditFinding("ptp", pair, PTP_NEVER.format(**names)))
        elif used:
            message = PTP_BYPASSED.format(modifier=", ".join(used), **names)
            findings.append(EditFinding("ptp", pair, message, blocking=False))
        else:
            unbypassed = PTP_EM_MODIFIER if em else PTP_MODIFIER
            findings.append(EditFinding("ptp", pair, unbypassed.format(**names)))
    return findings


def mue_findings(lines: Sequence[ServiceLine], dos: date) -> list[EditFinding]:
    """Codes whose units pass their MUE (per line, or per day for DOS edits)."""
    release = release_for("ncci_mue", dos)
    if release is None or not lines:
        return []
    limits = {
        m.code: m
        for m in MedicallyUnlikelyEdit.objects.filter(
            release=release, code__in={line.code for line in lines}
        )
    }
    per_day: dict[str, int] = defaultdict(int)
    for line in lines:
        per_day[line.code] += line.units
    findings = []
    for code, mue in limits.items():
        per_line = mue.adjudication_indicator.startswith("1")
        units = (
            max(line.units for line in lines if line.code == code)
            if per_line
            else per_day[code]
        )
        if units > mue.value:
            message = MUE_EXCEEDED.format(
                code=code,
                units=units,
                value=mue.value,
                indicator=mue.adjudication_indicator,
            )
            findings.append(EditFinding("mue", (code,), message))
    return findings


def demographic_findings(
    coded: Sequence[tuple[CodeSystem, str]], sex: str | None, age: int | None
) -> list[EditFinding]:
    """Codes whose rules exclude the patient's sex or age."""
    findings = []
    for system, code in coded:
        for rule in sex_age_rules():
            if rule.system != system or not rule.covers(code):
                continue
            shown = display_form(system, code)
            if sex and rule.sex and sex.upper()[:1] != rule.sex:
                message = SEX_CONFLICT.format(
                    code=shown, expected=SEX_WORDS[rule.sex], reason=rule.reason
                )
                findings.append(EditFinding("sex", (code,), message))
            low = rule.min_age if rule.min_age is not None else 0
            high = rule.max_age if rule.max_age is not None else 124
            if age is not None and not low <= age <= high:
                message = AGE_CONFLICT.format(
                    code=shown, low=low, high=high, reason=rule.reason, age=age
                )
                findings.append(EditFinding("age", (code,), message))
    return findings
