"""The content linter's rules: pure functions over one answer key.

Each check reads a parsed key (`grading.engine.AnswerKey`), what the record says
about the patient, where the encounter took place, and a `ContentCodeBook` that
answers code-set questions (validity on the date of service, tabular-list
instructions, and the edits of `codesets.edits`). No Django: the database side is
`content_checks.codebook.DatabaseContentBook`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from codeformats import (
    CodeSystem,
    display_form,
    procedure_system,
    reference_covers,
)
from grading.engine import AnswerKey, KeyLine, SchemaError, parse_key


@dataclass(frozen=True)
class Rule:
    """A rule a key must follow, and the standard it comes from."""

    slug: str
    title: str
    source: str


VALIDITY = Rule(
    "valid-on-dos",
    "Code valid on the date of service",
    "HIPAA code sets in force on the date of service (45 CFR 162.1002); ICD-10-CM "
    "Official Guidelines I.B.2 (report the full number of characters)",
)
BILLING_SCENARIO = Rule(
    "billing-scenario",
    "A billing scenario holds together",
    "docs/billing.md (what a scenario must satisfy: NPI check digit, demo payer, "
    "claim key, scrubber, payer)",
)
SEVENTH_CHARACTER = Rule(
    "seventh-character",
    "Required 7th character and placeholder X",
    "ICD-10-CM Official Guidelines I.A.4 (placeholder X) and I.A.5 (7th characters)",
)
EXCLUDES1 = Rule(
    "excludes1",
    "Excludes1 pair in one key",
    "ICD-10-CM Official Guidelines I.A.12.a (Excludes1: never coded together)",
)
USE_ADDITIONAL = Rule(
    "use-additional-code",
    "'Use additional code' partner present and after its code",
    "ICD-10-CM Official Guidelines I.A.13 and I.B.7; the Tabular List note",
)
CODE_FIRST = Rule(
    "code-first",
    "'Code first' partner present and before its code",
    "ICD-10-CM Official Guidelines I.A.13 and I.B.7; the Tabular List note",
)
CHAPTER_15 = Rule(
    "chapter-15",
    "Chapter 15 sequencing and exclusivity (O80, Z37)",
    "ICD-10-CM Tabular List O80 note; Official Guidelines I.C.15.a.1, I.C.15.b.5 "
    "and I.C.15.n",
)
AGE = Rule(
    "age",
    "Code agrees with the patient's age",
    "CMS Definitions of Medicare Code Edits (age edits), as summarised by chapter in "
    "codesets/data/sex_age_rules.csv",
)
SEX = Rule(
    "sex",
    "Code agrees with the patient's sex",
    "CMS Definitions of Medicare Code Edits (sex edits), as summarised by chapter in "
    "codesets/data/sex_age_rules.csv",
)
EM_SETTING = Rule(
    "em-setting",
    "E/M code family matches where the encounter took place",
    "CPT Evaluation and Management Services Guidelines (categories by place of "
    "service)",
)
PTP = Rule(
    "ncci-ptp",
    "NCCI procedure-to-procedure pair on one claim",
    "CMS NCCI PTP edits (the loaded edit file) and NCCI Policy Manual, chapter 1",
)
MUE = Rule(
    "ncci-mue",
    "Units within the medically unlikely edit",
    "CMS NCCI medically unlikely edits (the loaded MUE file)",
)
KEY_SCHEMA = Rule(
    "key-schema",
    "The key follows the answer-key format",
    "docs/grading.md (answer key format)",
)
RULES = (
    VALIDITY,
    SEVENTH_CHARACTER,
    EXCLUDES1,
    USE_ADDITIONAL,
    CODE_FIRST,
    CHAPTER_15,
    AGE,
    SEX,
    EM_SETTING,
    PTP,
    MUE,
    KEY_SCHEMA,
)
EDIT_RULES = {"excludes1": EXCLUDES1, "ptp": PTP, "mue": MUE, "age": AGE, "sex": SEX}

PARTNER_MISSING = "{owner} has a '{kind}' note for {wanted}; the key has none of them."
ADDITIONAL_BEFORE = (
    "{partner} is listed before {owner}, but {owner}'s 'use additional code' note "
    "puts it after."
)
FIRST_AFTER = (
    "{partner} is listed after {owner}, but {owner}'s 'code first' note puts it before."
)
O80_NOT_ALONE = (
    "O80 is used alone: the key also has {others} from chapter 15 (O80 note; "
    "I.C.15.n.1)."
)
O80_OUTCOME = "With O80 the only outcome code is Z37.0, not {code} (I.C.15.n.3)."
OUTCOME_WITHOUT_O = (
    "{code} is an outcome of delivery for the mother's record and needs a chapter 15 "
    "code (I.C.15.b.5)."
)
O_NOT_FIRST = (
    "{first} is listed first, but chapter 15 codes have sequencing priority: "
    "{obstetric} should come first (I.C.15.a.1)."
)
EM_WRONG_SETTING = "{code} is a {family} code; this encounter took place in {setting}."
SCHEMA = "{path}: {message}"
NOTE_NAMES = {
    "use_additional_code": "use additional code",
    "code_first": "code first",
}

# Wording in a note that makes its partner conditional or its list open. A note
# asking to identify alcohol abuse and dependence (K25-K29, K85) applies only when
# the record documents it.
_CONDITIONAL = re.compile(
    r"if applicable|if known|such as|if present|\bany\b|complicating"
    r"|alcohol abuse and dependence",
    re.I,
)
# The T36-T50 block note "code first, for adverse effects, the nature of the
# adverse effect" concerns adverse-effect codes (6th character 5); a poisoning's
# manifestations follow it (Guidelines I.C.19.e.5.b).
_ADVERSE_EFFECTS_ONLY = re.compile(r"^\W*for adverse effects\b", re.I)
ADVERSE_EFFECT_CHARACTER = "5"
_AGE = re.compile(r"\b(\d{1,3})[- ](year|month|week|day)s?[- ]old\b", re.I)
_SEX_WORDS = {
    "F": re.compile(
        r"\b(woman|girl|female|lady|mother|gravida|pregnant|G\d+ ?P\d+)\b", re.I
    ),
    "M": re.compile(r"\b(man|boy|male|gentleman)\b", re.I),
}
_TAGS = re.compile(r"<[^>]+>")

SETTING_LABELS = {
    "physician_office": "a physician office",
    "emergency_department": "an emergency department",
    "ambulatory_surgery": "an ambulatory surgery or hospital outpatient unit",
    "inpatient": "an inpatient stay",
    "nursing_facility": "a nursing facility",
    "observation": "a hospital observation stay",
}
# (first, last, family, settings where the family is reported)
EM_FAMILIES = (
    (
        "99202",
        "99215",
        "office or other outpatient visit",
        ("physician_office", "ambulatory_surgery"),
    ),
    (
        "99221",
        "99239",
        "hospital inpatient or observation",
        ("inpatient", "observation"),
    ),
    (
        "99242",
        "99245",
        "outpatient consultation",
        ("physician_office", "ambulatory_surgery", "emergency_department"),
    ),
    (
        "99252",
        "99255",
        "inpatient or observation consultation",
        ("inpatient", "observation"),
    ),
    ("99281", "99285", "emergency department visit", ("emergency_department",)),
    ("99291", "99292", "critical care", tuple(SETTING_LABELS)),
    ("99304", "99316", "nursing facility visit", ("nursing_facility",)),
    ("99341", "99350", "home or residence visit", ()),
    ("99381", "99397", "preventive medicine visit", ("physician_office",)),
)


@dataclass(frozen=True)
class Finding:
    """One problem of one key: which rule, which codes, where, and why."""

    rule: Rule
    codes: tuple[str, ...]
    where: str
    message: str

    @property
    def code(self) -> str:
        """A stable name for accepting this finding: `rule:CODE+CODE`."""
        return f"{self.rule.slug}:{'+'.join(self.codes)}"


@dataclass(frozen=True)
class Patient:
    """What the record says about the patient; None when it does not say."""

    age: int | None = None
    sex: str | None = None


@dataclass(frozen=True)
class CodeState:
    """Whether a code may be reported on the date, and the validator's verdict."""

    valid: bool
    status: str
    message: str = ""


@dataclass(frozen=True)
class Instruction:
    """A 'use additional code' or 'code first' note that applies to a code.

    `own` is true for notes on the code's category or subcategory; a block's or
    chapter's notes apply too but are read only for order."""

    kind: str
    owner: str
    text: str
    references: tuple[str, ...]
    own: bool


@dataclass(frozen=True)
class EditHit:
    """A blocking edit from `codesets.edits` (kind: excludes1, ptp, mue, age, sex)."""

    kind: str
    codes: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class ServiceLineFacts:
    code: str
    modifiers: tuple[str, ...]
    units: int


class ContentCodeBook(Protocol):
    def states(
        self, system: CodeSystem, codes: Collection[str], date_of_service: date
    ) -> Mapping[str, CodeState]: ...

    def instructions(
        self, codes: Collection[str], date_of_service: date
    ) -> Mapping[str, tuple[Instruction, ...]]: ...

    def edits(
        self,
        *,
        date_of_service: date,
        diagnoses: Sequence[str],
        service_lines: Sequence[ServiceLineFacts],
        pcs_procedures: Sequence[str],
        patient: Patient,
    ) -> list[EditHit]: ...


def patient_from_text(html: str) -> Patient:
    """Age and sex from the first mention in a record ("61-year-old man")."""
    text = _TAGS.sub(" ", html)
    age = None
    if match := _AGE.search(text):
        age = int(match.group(1)) if match.group(2).lower() == "year" else 0
    found = {
        sex: match.start()
        for sex, pattern in _SEX_WORDS.items()
        if (match := pattern.search(text))
    }
    sex = min(found, key=found.get) if found else None
    return Patient(age=age, sex=sex)


def check_key(
    key_data: dict,
    *,
    where: str,
    patient: Patient,
    book: ContentCodeBook,
    setting: str = "",
) -> list[Finding]:
    """Every finding of one key. `setting` is the case's place of service
    (`CaseSetting`); without it the E/M family is not checked."""
    try:
        key = parse_key(key_data)
    except SchemaError as error:
        return [
            Finding(KEY_SCHEMA, (), where, SCHEMA.format(path=path, message=message))
            for path, message in error.errors
        ]
    findings = validity_findings(key, where, book)
    invalid = {code for finding in findings for code in finding.codes}
    diagnoses = [line.code for line in key.diagnoses]
    shown = {c: display_form(CodeSystem.ICD10CM, c) for c in diagnoses}
    usable = [c for c in diagnoses if shown[c] not in invalid]
    findings += instruction_findings(
        usable, book.instructions(usable, key.date_of_service), where
    )
    findings += chapter_15_findings(diagnoses, where)
    if setting:
        findings += em_setting_findings(key.service_lines, setting, where)
    hits = book.edits(
        date_of_service=key.date_of_service,
        diagnoses=usable,
        service_lines=[
            ServiceLineFacts(line.code, line.modifiers, line.units)
            for line in key.service_lines
        ],
        pcs_procedures=[line.code for line in key.procedures],
        patient=patient,
    )
    findings += [
        Finding(
            EDIT_RULES[hit.kind],
            tuple(shown.get(code, code) for code in hit.codes),
            where,
            hit.message,
        )
        for hit in hits
    ]
    return findings


def validity_findings(
    key: AnswerKey, where: str, book: ContentCodeBook
) -> list[Finding]:
    """Codes and alternatives that may not be reported on the date of service."""
    wanted: dict[CodeSystem, list[str]] = {}
    for system, line in _lines_by_system(key):
        wanted.setdefault(system, []).extend(line.codes)
    findings = []
    for system, codes in wanted.items():
        states = book.states(system, codes, key.date_of_service)
        for code in dict.fromkeys(codes):
            state = states[code]
            if state.valid:
                continue
            rule = (
                SEVENTH_CHARACTER
                if state.status in ("seventh_character", "placeholder")
                else VALIDITY
            )
            shown = display_form(system, code)
            findings.append(Finding(rule, (shown,), where, state.message))
    return findings


def _lines_by_system(key: AnswerKey):
    for line in key.diagnoses:
        yield CodeSystem.ICD10CM, line
    for line in key.procedures:
        yield CodeSystem.ICD10PCS, line
    for line in key.service_lines:
        yield procedure_system(line.code) or CodeSystem.CPT, line


def instruction_findings(
    diagnoses: Sequence[str],
    instructions: Mapping[str, tuple[Instruction, ...]],
    where: str,
) -> list[Finding]:
    """'Use additional code' and 'code first' partners: present when the note
    requires one, and in the order the note gives."""
    findings = []
    shown = {c: display_form(CodeSystem.ICD10CM, c) for c in diagnoses}
    for position, code in enumerate(diagnoses):
        for note in instructions.get(code, ()):
            if _ADVERSE_EFFECTS_ONLY.search(note.text) and (
                code[5:6] != ADVERSE_EFFECT_CHARACTER
            ):
                continue
            after = note.kind == "use_additional_code"
            rule = USE_ADDITIONAL if after else CODE_FIRST
            partners = [
                (index, other)
                for index, other in enumerate(diagnoses)
                if other != code
                and any(reference_covers(r, other) for r in note.references)
            ]
            if not partners and _required(note):
                message = PARTNER_MISSING.format(
                    owner=shown[code],
                    kind=NOTE_NAMES[note.kind],
                    wanted=", ".join(_shown_reference(r) for r in note.references),
                )
                findings.append(Finding(rule, (shown[code],), where, message))
            template = ADDITIONAL_BEFORE if after else FIRST_AFTER
            for index, other in partners:
                if (index < position) if after else (index > position):
                    message = template.format(owner=shown[code], partner=shown[other])
                    findings.append(
                        Finding(rule, (shown[code], shown[other]), where, message)
                    )
    return findings


def _required(note: Instruction) -> bool:
    # A note on the code itself that names one partner unconditionally ("use
    # additional code to identify the type of heart failure (I50.-)") requires it;
    # an open list ("such as"), a condition ("if applicable") or a range to pick
    # from when the record names one ("infectious agent (B95-B97)") leaves it to
    # the record, and a 'code first' with a closed list requires one of its items.
    if not note.own or not note.references or _CONDITIONAL.search(note.text):
        return False
    if note.kind == "code_first":
        return True
    return len(note.references) == 1 and ":" not in note.references[0]


def _shown_reference(reference: str) -> str:
    parts = [display_form(CodeSystem.ICD10CM, p) for p in reference.split(":")]
    return "-".join(parts)


def chapter_15_findings(diagnoses: Sequence[str], where: str) -> list[Finding]:
    """O80 alone (with Z37.0), Z37 only with a chapter 15 code, chapter 15 first."""
    shown = [display_form(CodeSystem.ICD10CM, c) for c in diagnoses]
    obstetric = [s for c, s in zip(diagnoses, shown, strict=True) if c.startswith("O")]
    findings = []
    if "O80" in diagnoses:
        others = [s for s in obstetric if s != "O80"]
        if others:
            message = O80_NOT_ALONE.format(others=", ".join(others))
            findings.append(Finding(CHAPTER_15, ("O80", *others), where, message))
        for code, display in zip(diagnoses, shown, strict=True):
            if code.startswith("Z37") and code != "Z370":
                message = O80_OUTCOME.format(code=display)
                findings.append(Finding(CHAPTER_15, ("O80", display), where, message))
    if not obstetric:
        for code, display in zip(diagnoses, shown, strict=True):
            if code.startswith("Z37"):
                message = OUTCOME_WITHOUT_O.format(code=display)
                findings.append(Finding(CHAPTER_15, (display,), where, message))
    elif not diagnoses[0].startswith("O"):
        message = O_NOT_FIRST.format(first=shown[0], obstetric=obstetric[0])
        findings.append(Finding(CHAPTER_15, (shown[0], obstetric[0]), where, message))
    return findings


def em_setting_findings(
    lines: Sequence[KeyLine], setting: str, where: str
) -> list[Finding]:
    """E/M codes whose family belongs to another place of service."""
    findings = []
    for line in lines:
        for code in line.codes:
            for first, last, family, settings in EM_FAMILIES:
                in_family = first <= code <= last and len(code) == len(first)
                if in_family and setting not in settings:
                    message = EM_WRONG_SETTING.format(
                        code=code,
                        family=family,
                        setting=SETTING_LABELS.get(setting, setting),
                    )
                    findings.append(Finding(EM_SETTING, (code,), where, message))
    return findings
