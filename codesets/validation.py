"""Validation of code input against a release: one function, a structured result.

The grading engine (through `grading.codebook.DatabaseCodeBook`) and every code-entry
field use `validate_codes`, which answers for many inputs with a fixed handful of
queries whatever their number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from itertools import combinations

from django.utils import timezone

from codeformats import SYSTEM_LABELS, CodeSystem, check_format, display_form
from codesets.models import Code, Release
from codesets.selectors import prefix_range, release_for

NO_RELEASE = "No {label} release in force on {date} is loaded."
UNKNOWN = "{display} is not a code in the {label} {version} release."
HEADER = "{display} is a category header: it needs more characters (e.g. {examples})."
SEVENTH_CHARACTER = "{display} needs a 7th character: {choices}."
BAD_SEVENTH_CHARACTER = (
    "{char} is not a valid 7th character for {base}: use one of {choices}."
)
PLACEHOLDER = "{display} is missing its placeholder X: did you mean {suggestion}?"
DELETED = "{display} was deleted on {date}{replacement}."
REPLACED_BY = ", replaced by {codes}"
NOT_YET_EFFECTIVE = (
    "{display} is not yet effective on {dos}: it takes effect on {date}."
)
CPT_DEMO_CHECKED = (
    "Checked against the CoderAcademy demo CPT list: no licensed AMA CPT release is "
    "loaded, and the description is a CoderAcademy lay description."
)
CPT_UNVERIFIED = (
    "{display} has the format of a CPT code; it is not in the CoderAcademy demo list "
    "and no licensed AMA CPT release is loaded, so only its format was checked."
)
MAX_EXAMPLES = 4
SEVENTH_LENGTH = 7


class Status(StrEnum):
    VALID = "valid"
    UNVERIFIED = "unverified"
    FORMAT = "format"
    NO_RELEASE = "no_release"
    UNKNOWN = "unknown"
    HEADER = "header"
    SEVENTH_CHARACTER = "seventh_character"
    PLACEHOLDER = "placeholder"
    DELETED = "deleted"
    NOT_YET_EFFECTIVE = "not_yet_effective"


@dataclass(frozen=True)
class CodeValidation:
    """What a raw input is in a release: `valid` means reportable on the date."""

    system: CodeSystem
    raw: str
    code: str
    display: str
    status: Status
    valid: bool
    message: str = ""
    description: str = ""
    release: str = ""
    suggestions: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """A JSON-ready form for the API."""
        data = asdict(self)
        data["system"] = str(self.system)
        data["status"] = str(self.status)
        data["suggestions"] = list(self.suggestions)
        return data


def placeholder_variants(code: str) -> list[str]:
    """`code` with X placeholders inserted to make 7 characters (ICD-10-CM)."""
    missing = SEVENTH_LENGTH - len(code)
    if not 4 <= len(code) < SEVENTH_LENGTH:
        return []
    variants = []
    for spots in combinations(range(3, SEVENTH_LENGTH - 1), missing):
        chars, source = [], iter(code)
        for position in range(SEVENTH_LENGTH):
            chars.append("X" if position in spots else next(source, ""))
        variant = "".join(chars)
        if len(variant) == SEVENTH_LENGTH and variant not in variants:
            variants.append(variant)
    return variants


def validate_code(
    system: CodeSystem | str,
    raw: str,
    release: Release | None,
    date_of_service: date | None = None,
) -> CodeValidation:
    """Validate one raw input against `release` (see `validate_codes`)."""
    return validate_codes(system, [raw], release, date_of_service)[raw]


def validate_codes_on(
    system: CodeSystem | str, raws: Iterable[str], date_of_service: date
) -> dict[str, CodeValidation]:
    """Validate inputs against the release of `system` in force on the date."""
    release = release_for(system, date_of_service)
    return validate_codes(system, raws, release, date_of_service)


def validate_codes(
    system: CodeSystem | str,
    raws: Iterable[str],
    release: Release | None,
    date_of_service: date | None = None,
) -> dict[str, CodeValidation]:
    """Validate many raw inputs against `release`, keyed by the raw input.

    Normalises (`e11.65`, `E1165` and ` E11.65 ` are one code), checks the format,
    existence, billable or header, 7th character and placeholder X, and deleted or
    not-yet-effective codes, with a plain-English message for each.
    """
    system = CodeSystem(system)
    dos = date_of_service or timezone.localdate()
    checks = {raw: check_format(system, raw) for raw in dict.fromkeys(raws)}
    results: dict[str, CodeValidation] = {}
    label = SYSTEM_LABELS[system]
    for raw, check in checks.items():
        if not check.ok:
            results[raw] = CodeValidation(
                system,
                raw,
                check.code,
                raw.strip(),
                Status.FORMAT,
                False,
                check.message,
            )
        elif release is None:
            message = NO_RELEASE.format(label=label, date=dos.isoformat())
            results[raw] = _result(system, raw, check.code, Status.NO_RELEASE, message)
    pending = {raw: checks[raw].code for raw in checks if raw not in results}
    if pending:
        results.update(_Batch(system, release, dos).run(pending))
    return results


def _result(system, raw, code, status, message, **extra) -> CodeValidation:
    valid = status in (Status.VALID, Status.UNVERIFIED)
    display = display_form(system, code)
    return CodeValidation(system, raw, code, display, status, valid, message, **extra)


class _Batch:
    """The queries and rules of one `validate_codes` call."""

    def __init__(self, system: CodeSystem, release: Release, dos: date) -> None:
        self.system = system
        self.release = release
        self.dos = dos
        self.label = SYSTEM_LABELS[system]

    def run(self, pending: dict[str, str]) -> dict[str, CodeValidation]:
        wanted = set(pending.values())
        if self.system == CodeSystem.ICD10CM:
            for code in pending.values():
                wanted.update(placeholder_variants(code))
                if len(code) == SEVENTH_LENGTH:
                    wanted.add(code[:-1])
        self.rows = {
            r.code: r
            for r in Code.objects.filter(release=self.release, code__in=wanted)
        }
        headers = {c for c, r in self.rows.items() if not r.billable}
        self.children: dict[str, list[Code]] = {}
        if headers:
            rows = Code.objects.filter(release=self.release, parent__in=headers)
            for child in rows.order_by("code").only("code", "display", "parent"):
                self.children.setdefault(child.parent, []).append(child)
        unknown = {c for c in pending.values() if c not in self.rows}
        self.elsewhere = self._other_releases(unknown) if unknown else {}
        return {raw: self._one(raw, code) for raw, code in pending.items()}

    def _other_releases(self, codes: set[str]) -> dict[str, Code]:
        rows = (
            Code.objects.filter(release__system=self.system, code__in=codes)
            .exclude(release=self.release)
            .select_related("release")
            .order_by("-release__effective_from")
        )
        found: dict[str, Code] = {}
        for row in rows:
            found.setdefault(row.code, row)
        return found

    def _one(self, raw: str, code: str) -> CodeValidation:
        row = self.rows.get(code)
        version = self.release.version
        if row is None:
            return self._missing(raw, code)
        extra = {"description": row.description, "release": version}
        if row.terminated_on and row.terminated_on <= self.dos:
            return self._deleted(raw, code, row.terminated_on, row.replaced_by, extra)
        if row.effective_on and row.effective_on > self.dos:
            message = NOT_YET_EFFECTIVE.format(
                display=row.display, dos=self.dos, date=row.effective_on
            )
            return _result(
                self.system, raw, code, Status.NOT_YET_EFFECTIVE, message, **extra
            )
        if not row.billable:
            return self._header(raw, row, extra)
        message = CPT_DEMO_CHECKED if self._unlicensed_cpt() else ""
        return _result(self.system, raw, code, Status.VALID, message, **extra)

    def _unlicensed_cpt(self) -> bool:
        return self.system == CodeSystem.CPT and not self.release.licensed

    def _header(self, raw: str, row: Code, extra: dict) -> CodeValidation:
        children = self.children.get(row.code, [])
        if children and all(len(c.code) == SEVENTH_LENGTH for c in children):
            choices = ", ".join(c.code[-1] for c in children)
            message = SEVENTH_CHARACTER.format(display=row.display, choices=choices)
            status = Status.SEVENTH_CHARACTER
        else:
            examples = ", ".join(c.display for c in children[:MAX_EXAMPLES])
            message = HEADER.format(display=row.display, examples=examples or "—")
            status = Status.HEADER
        suggestions = tuple(c.display for c in children[:MAX_EXAMPLES])
        return _result(
            self.system,
            raw,
            row.code,
            status,
            message,
            suggestions=suggestions,
            **extra,
        )

    def _missing(self, raw: str, code: str) -> CodeValidation:
        version = {"release": self.release.version}
        display = display_form(self.system, code)
        for variant in placeholder_variants(code) if self.system == "icd10cm" else ():
            if variant in self.rows:
                suggestion = self.rows[variant].display
                message = PLACEHOLDER.format(display=display, suggestion=suggestion)
                return _result(
                    self.system,
                    raw,
                    code,
                    Status.PLACEHOLDER,
                    message,
                    suggestions=(suggestion,),
                    **version,
                )
        base = self.rows.get(code[:-1]) if len(code) == SEVENTH_LENGTH else None
        if base is not None and base.code in self.children:
            choices = ", ".join(c.code[-1] for c in self.children[base.code])
            message = BAD_SEVENTH_CHARACTER.format(
                char=code[-1], base=base.display, choices=choices
            )
            return _result(
                self.system, raw, code, Status.SEVENTH_CHARACTER, message, **version
            )
        other = self.elsewhere.get(code)
        if other is not None:
            return self._other_release(raw, code, other, version)
        if self._unlicensed_cpt():
            message = CPT_UNVERIFIED.format(display=display)
            return _result(
                self.system, raw, code, Status.UNVERIFIED, message, **version
            )
        message = UNKNOWN.format(
            display=display, label=self.label, version=self.release.version
        )
        return _result(self.system, raw, code, Status.UNKNOWN, message, **version)

    def _other_release(
        self, raw: str, code: str, other: Code, version: dict
    ) -> CodeValidation:
        extra = {"description": other.description, **version}
        if other.release.effective_from > self.dos:
            message = NOT_YET_EFFECTIVE.format(
                display=other.display, dos=self.dos, date=other.release.effective_from
            )
            return _result(
                self.system, raw, code, Status.NOT_YET_EFFECTIVE, message, **extra
            )
        expansions = (
            Code.objects.filter(release=self.release, billable=True)
            .filter(**prefix_range(code))
            .order_by("code")
            .values_list("display", flat=True)[:MAX_EXAMPLES]
        )
        return self._deleted(
            raw, code, self.release.effective_from, list(expansions), extra
        )

    def _deleted(self, raw, code, on: date, replaced_by, extra) -> CodeValidation:
        shown = [display_form(self.system, c) for c in replaced_by]
        replacement = REPLACED_BY.format(codes=", ".join(shown)) if shown else ""
        message = DELETED.format(
            display=display_form(self.system, code), date=on, replacement=replacement
        )
        return _result(
            self.system,
            raw,
            code,
            Status.DELETED,
            message,
            suggestions=tuple(shown),
            **extra,
        )
