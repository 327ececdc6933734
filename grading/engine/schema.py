"""Answer keys and learner responses: their JSON shape and the frozen dataclasses.

`parse_key` and `parse_response` take what `json.loads` returns and either build the
dataclasses or raise one `SchemaError` listing every problem by field path, so an
author fixes a key in one round trip.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from codeformats import (
    FORMAT_HINTS,
    CodeSystem,
    FormatCheck,
    check_format,
    compact,
    display_form,
    procedure_system,
)


class Setting(StrEnum):
    INPATIENT = "inpatient"
    OUTPATIENT = "outpatient"
    PROFESSIONAL = "professional"


class Poa(StrEnum):
    """Present-on-admission indicators (ICD-10-CM Official Guidelines, Appendix
    I): 1 marks a code exempt from reporting."""

    YES = "Y"
    NO = "N"
    UNKNOWN = "U"
    UNDETERMINED = "W"
    EXEMPT = "1"


class Section(StrEnum):
    DIAGNOSES = "diagnoses"
    PROCEDURES = "procedures"
    SERVICE_LINES = "service_lines"


MAX_LINES_PER_SECTION = 200
MAX_CODE_CHARS = 100
MAX_TEXT_CHARS = 5000
MAX_ALTERNATIVES = 20
MAX_COMMON_ERRORS = 20
MAX_MODIFIERS = 4
MAX_POINTERS = 4
MAX_POINTER = 12
MAX_UNITS = 9999
MAX_DIAGNOSES = {
    Setting.INPATIENT: 25,
    Setting.OUTPATIENT: 12,
    Setting.PROFESSIONAL: 12,
}

MUST_BE_OBJECT = "must be an object"
MUST_BE_LIST = "must be a list"
MUST_BE_STRING = "must be a string"
MUST_BE_BOOLEAN = "must be true or false"
MUST_BE_INTEGER = "must be a whole number"
MUST_NOT_BE_EMPTY = "must not be empty"
REQUIRED = "is required"
UNKNOWN_FIELD = "unknown field"
TOO_LONG = "must be at most {limit} characters"
TOO_MANY_ITEMS = "at most {limit} {noun}"
TOO_MANY_DIAGNOSES = "at most {limit} diagnoses in the {setting} setting"
OUT_OF_RANGE = "must be between {low} and {high}"
POINTER_PAST_END = "points to diagnosis {pointer}, but only {count} are listed"
REPEATED_POINTER = "points to diagnosis {pointer} twice"
BAD_SETTING = "must be one of inpatient, outpatient, professional"
BAD_DATE = "must be a date written YYYY-MM-DD"
BAD_POA = "must be one of Y, N, U, W, 1 (or left out)"
REPEATED_CODE = "{code} is already listed at {first}"
SAME_AS_LINE_CODE = "{code} is one of this line's correct codes"
SAME_AS_LINE_MODIFIERS = "is the same set as this line's modifiers"
REASON_REQUIRED = "an alternative set of modifiers needs the reason it is accepted"
PRINCIPAL_NOT_OPTIONAL = "the first {what} is the principal one and cannot be optional"
NO_REQUIRED_LINE = "an answer key needs at least one required line"
NOT_A_SERVICE_CODE = (
    "{raw!r} is not a CPT or HCPCS Level II code: expected {cpt}, or {hcpcs}."
)


class SchemaError(ValueError):
    """Raised with every problem found, each as (field path, message)."""

    def __init__(self, errors: Iterable[tuple[str, str]]) -> None:
        self.errors = list(errors)
        super().__init__(
            "; ".join(f"{path}: {message}" for path, message in self.errors)
        )


@dataclass(frozen=True)
class CommonError:
    """A known wrong answer for a key line and what to tell the learner about it."""

    code: str
    explanation: str


@dataclass(frozen=True)
class ModifierAlternative:
    """Another set of modifiers accepted on a service line, and why (e.g. 59 where
    the payer takes it in place of XS)."""

    modifiers: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class KeyLine:
    """An expected line. Codes are compact (no dot); `modifiers`, `units` and
    `pointers` are only meaningful on service lines; empty `pointers` means the key
    does not grade pointers for that line."""

    code: str
    alternatives: tuple[str, ...] = ()
    optional: bool = False
    common_errors: tuple[CommonError, ...] = ()
    rationale: str = ""
    reference: str = ""
    modifiers: tuple[str, ...] = ()
    units: int = 1
    pointers: tuple[int, ...] = ()
    poa: str = ""
    modifier_alternatives: tuple[ModifierAlternative, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """The main code followed by its equally correct alternatives."""
        return (self.code, *self.alternatives)

    @property
    def modifier_sets(self) -> tuple[tuple[str, ...], ...]:
        """The key's modifiers followed by each equally correct set."""
        return (
            self.modifiers,
            *(alternative.modifiers for alternative in self.modifier_alternatives),
        )


@dataclass(frozen=True)
class AnswerKey:
    setting: Setting
    date_of_service: datetime.date
    diagnoses: tuple[KeyLine, ...] = ()
    procedures: tuple[KeyLine, ...] = ()
    service_lines: tuple[KeyLine, ...] = ()
    weights: Mapping[str, float] = field(default_factory=dict)

    def section(self, section: Section) -> tuple[KeyLine, ...]:
        return getattr(self, section.value)


@dataclass(frozen=True)
class GivenLine:
    """A learner's line. `code` is kept as typed (trimmed) so feedback can quote it;
    modifiers are compact."""

    code: str
    modifiers: tuple[str, ...] = ()
    units: int = 1
    pointers: tuple[int, ...] = ()
    poa: str = ""


@dataclass(frozen=True)
class Response:
    diagnoses: tuple[GivenLine, ...] = ()
    procedures: tuple[GivenLine, ...] = ()
    service_lines: tuple[GivenLine, ...] = ()

    def section(self, section: Section) -> tuple[GivenLine, ...]:
        return getattr(self, section.value)


_LINE_FIELDS = frozenset({"code"})
_SERVICE_FIELDS = frozenset({"modifiers", "units", "pointers"})
_MODIFIER_ALTERNATIVE_FIELDS = frozenset({"modifiers", "reason"})
_KEY_LINE_FIELDS = frozenset(
    {"code", "alternatives", "optional", "common_errors", "rationale", "reference"}
)


def check_section_code(section: Section, raw: str) -> FormatCheck:
    """Check `raw` against the format of the code system a section holds.

    Service lines hold CPT or HCPCS Level II codes, told apart by shape.
    """
    if section is Section.DIAGNOSES:
        return check_format(CodeSystem.ICD10CM, raw)
    if section is Section.PROCEDURES:
        return check_format(CodeSystem.ICD10PCS, raw)
    system = procedure_system(raw)
    if system is not None:
        return check_format(system, raw)
    failed = check_format(CodeSystem.CPT, raw)
    if not failed.code:
        return failed
    message = NOT_A_SERVICE_CODE.format(
        raw=raw.strip()[:40],
        cpt=FORMAT_HINTS[CodeSystem.CPT],
        hcpcs=FORMAT_HINTS[CodeSystem.HCPCS],
    )
    return FormatCheck(CodeSystem.CPT, raw, failed.code, False, message)


class _Reader:
    """Walks untrusted JSON data, collecting every problem instead of stopping."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def raise_if_errors(self) -> None:
        if self.errors:
            raise SchemaError(self.errors)

    def mapping(
        self, value: Any, path: str, allowed: frozenset[str]
    ) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.error(path, MUST_BE_OBJECT)
            return None
        for name in value:
            if name not in allowed:
                self.error(_join(path, str(name)), UNKNOWN_FIELD)
        return value

    def items(self, value: Any, path: str, limit: int, noun: str) -> list[Any]:
        if not isinstance(value, list):
            self.error(path, MUST_BE_LIST)
            return []
        if len(value) > limit:
            self.error(path, TOO_MANY_ITEMS.format(limit=limit, noun=noun))
            return []
        return value

    def string(self, value: Any, path: str, limit: int = MAX_CODE_CHARS) -> str | None:
        if not isinstance(value, str):
            self.error(path, MUST_BE_STRING)
            return None
        if len(value) > limit:
            self.error(path, TOO_LONG.format(limit=limit))
            return None
        return value

    def text(self, data: Mapping[str, Any], name: str, path: str) -> str:
        return self.string(data.get(name, ""), _join(path, name), MAX_TEXT_CHARS) or ""

    def code(
        self, value: Any, path: str, check: Callable[[str], FormatCheck] | None
    ) -> str | None:
        """A non-empty code string; with `check`, also its format, giving compact."""
        raw = self.string(value, path)
        if raw is None:
            return None
        if not raw.strip():
            self.error(path, MUST_NOT_BE_EMPTY)
            return None
        if check is None:
            return raw.strip()
        result = check(raw)
        if not result.ok:
            self.error(path, result.message)
            return None
        return result.code

    def integer(self, value: Any, path: str, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, MUST_BE_INTEGER)
            return None
        if not low <= value <= high:
            self.error(path, OUT_OF_RANGE.format(low=low, high=high))
            return None
        return value


def _join(path: str, name: str | int) -> str:
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


@dataclass(frozen=True)
class _SectionRules:
    """What a parser accepts in one section of one document."""

    section: Section
    is_key: bool
    diagnosis_count: int

    @property
    def fields(self) -> frozenset[str]:
        fields = _KEY_LINE_FIELDS if self.is_key else _LINE_FIELDS
        if self.section is Section.SERVICE_LINES:
            key_only = {"modifier_alternatives"} if self.is_key else set()
            return fields | _SERVICE_FIELDS | key_only
        if self.section is Section.DIAGNOSES:
            return fields | {"poa"}
        return fields

    def check(self, raw: str) -> FormatCheck:
        return check_section_code(self.section, raw)


def _check_modifier(raw: str) -> FormatCheck:
    return check_format(CodeSystem.MODIFIER, raw)


def _read_modifiers(
    reader: _Reader, value: Any, path: str, rules: _SectionRules
) -> tuple[str, ...]:
    modifiers = []
    for index, raw in enumerate(reader.items(value, path, MAX_MODIFIERS, "modifiers")):
        modifier = reader.code(
            raw, _join(path, index), _check_modifier if rules.is_key else None
        )
        if modifier is not None:
            modifiers.append(compact(modifier))
    return tuple(modifiers)


def _read_modifier_alternatives(
    reader: _Reader, data: Mapping[str, Any], path: str, modifiers: tuple[str, ...]
) -> tuple[ModifierAlternative, ...]:
    alternatives_path = _join(path, "modifier_alternatives")
    rules = _SectionRules(Section.SERVICE_LINES, is_key=True, diagnosis_count=0)
    alternatives = []
    for index, item in enumerate(
        reader.items(
            data.get("modifier_alternatives", []),
            alternatives_path,
            MAX_ALTERNATIVES,
            "modifier alternatives",
        )
    ):
        item_path = _join(alternatives_path, index)
        alternative = reader.mapping(item, item_path, _MODIFIER_ALTERNATIVE_FIELDS)
        if alternative is None:
            continue
        modifiers_path = _join(item_path, "modifiers")
        accepted = _read_modifiers(
            reader, alternative.get("modifiers", []), modifiers_path, rules
        )
        reason = reader.text(alternative, "reason", item_path)
        if not reason.strip():
            reader.error(_join(item_path, "reason"), REASON_REQUIRED)
        if frozenset(accepted) == frozenset(modifiers):
            reader.error(modifiers_path, SAME_AS_LINE_MODIFIERS)
        alternatives.append(ModifierAlternative(accepted, reason))
    return tuple(alternatives)


def _read_service_fields(
    reader: _Reader, data: Mapping[str, Any], path: str, rules: _SectionRules
) -> tuple[tuple[str, ...], int, tuple[int, ...]]:
    modifiers = _read_modifiers(
        reader, data.get("modifiers", []), _join(path, "modifiers"), rules
    )
    units = reader.integer(data.get("units", 1), _join(path, "units"), 1, MAX_UNITS)
    pointer_path = _join(path, "pointers")
    raw_pointers = reader.items(
        data.get("pointers", []), pointer_path, MAX_POINTERS, "pointers"
    )
    pointers: list[int] = []
    for index, raw in enumerate(raw_pointers):
        pointer = reader.integer(raw, _join(pointer_path, index), 1, MAX_POINTER)
        if pointer is None:
            continue
        if pointer > rules.diagnosis_count:
            reader.error(
                _join(pointer_path, index),
                POINTER_PAST_END.format(pointer=pointer, count=rules.diagnosis_count),
            )
        elif pointer in pointers:
            reader.error(
                _join(pointer_path, index), REPEATED_POINTER.format(pointer=pointer)
            )
        else:
            pointers.append(pointer)
    return modifiers, units or 1, tuple(pointers)


def _read_common_errors(
    reader: _Reader, value: Any, path: str, rules: _SectionRules
) -> tuple[CommonError, ...]:
    common_errors = []
    for index, item in enumerate(
        reader.items(value, path, MAX_COMMON_ERRORS, "common errors")
    ):
        item_path = _join(path, index)
        data = reader.mapping(item, item_path, frozenset({"code", "explanation"}))
        if data is None:
            continue
        code = reader.code(data.get("code"), _join(item_path, "code"), rules.check)
        explanation = reader.text(data, "explanation", item_path)
        if code is not None:
            common_errors.append(CommonError(code, explanation))
    return tuple(common_errors)


def _read_key_line(
    reader: _Reader, data: Mapping[str, Any], path: str, rules: _SectionRules
) -> KeyLine | None:
    code = reader.code(data.get("code"), _join(path, "code"), rules.check)
    alternatives_path = _join(path, "alternatives")
    alternatives = []
    for index, raw in enumerate(
        reader.items(
            data.get("alternatives", []),
            alternatives_path,
            MAX_ALTERNATIVES,
            "alternatives",
        )
    ):
        alternative = reader.code(raw, _join(alternatives_path, index), rules.check)
        if alternative is not None:
            alternatives.append(alternative)
    optional = data.get("optional", False)
    if not isinstance(optional, bool):
        reader.error(_join(path, "optional"), MUST_BE_BOOLEAN)
    common_errors_path = _join(path, "common_errors")
    common_errors = _read_common_errors(
        reader, data.get("common_errors", []), common_errors_path, rules
    )
    for index, common_error in enumerate(common_errors):
        if common_error.code in (code, *alternatives):
            reader.error(
                _join(_join(common_errors_path, index), "code"),
                SAME_AS_LINE_CODE.format(
                    code=_display(rules.section, common_error.code)
                ),
            )
    rationale = reader.text(data, "rationale", path)
    reference = reader.text(data, "reference", path)
    poa = _read_poa(reader, data, path)
    modifiers, units, pointers = (), 1, ()
    modifier_alternatives: tuple[ModifierAlternative, ...] = ()
    if rules.section is Section.SERVICE_LINES:
        modifiers, units, pointers = _read_service_fields(reader, data, path, rules)
        modifier_alternatives = _read_modifier_alternatives(
            reader, data, path, modifiers
        )
    if code is None:
        return None
    return KeyLine(
        code=code,
        alternatives=tuple(alternatives),
        optional=optional is True,
        common_errors=common_errors,
        rationale=rationale,
        reference=reference,
        modifiers=modifiers,
        units=units,
        pointers=pointers,
        poa=poa,
        modifier_alternatives=modifier_alternatives,
    )


def _read_poa(reader: _Reader, data: Mapping[str, Any], path: str) -> str:
    value = data.get("poa", "")
    if value in ("", None):
        return ""
    if not isinstance(value, str) or value.strip().upper() not in tuple(Poa):
        reader.error(_join(path, "poa"), BAD_POA)
        return ""
    return value.strip().upper()


def _read_given_line(
    reader: _Reader, data: Mapping[str, Any], path: str, rules: _SectionRules
) -> GivenLine | None:
    code = reader.code(data.get("code"), _join(path, "code"), None)
    poa = _read_poa(reader, data, path)
    modifiers, units, pointers = (), 1, ()
    if rules.section is Section.SERVICE_LINES:
        modifiers, units, pointers = _read_service_fields(reader, data, path, rules)
    if code is None:
        return None
    return GivenLine(
        code=code, modifiers=modifiers, units=units, pointers=pointers, poa=poa
    )


def _read_section(
    reader: _Reader, value: Any, rules: _SectionRules
) -> tuple[KeyLine, ...] | tuple[GivenLine, ...]:
    path = rules.section.value
    raw_lines = reader.items(value, path, MAX_LINES_PER_SECTION, "lines")
    read_line = _read_key_line if rules.is_key else _read_given_line
    lines = []
    for index, item in enumerate(raw_lines):
        line_path = _join(path, index)
        data = reader.mapping(item, line_path, rules.fields)
        if data is not None and (line := read_line(reader, data, line_path, rules)):
            lines.append(line)
    return tuple(lines)


def _line_identities(section: Section, line: KeyLine) -> list[tuple[str, Any]]:
    """What makes two key lines the same: the code, and on service lines also the
    set of modifiers (the same code may be billed twice, e.g. with RT and LT)."""
    extra = frozenset(line.modifiers) if section is Section.SERVICE_LINES else None
    paths = ["code"] + [
        f"alternatives[{index}]" for index in range(len(line.alternatives))
    ]
    return [(path, (code, extra)) for path, code in zip(paths, line.codes, strict=True)]


def _check_key_section(
    reader: _Reader, section: Section, lines: tuple[KeyLine, ...], setting: Setting
) -> None:
    seen: dict[tuple[str, Any], str] = {}
    for index, line in enumerate(lines):
        line_path = _join(section.value, index)
        for field_path, identity in _line_identities(section, line):
            path = f"{line_path}.{field_path}"
            code = identity[0]
            if identity in seen:
                system = check_section_code(section, code).system
                reader.error(
                    path,
                    REPEATED_CODE.format(
                        code=display_form(system, code), first=seen[identity]
                    ),
                )
            else:
                seen[identity] = path
    principal_matters = section is Section.DIAGNOSES or (
        section is Section.PROCEDURES and setting is Setting.INPATIENT
    )
    if principal_matters and lines and lines[0].optional:
        what = "diagnosis" if section is Section.DIAGNOSES else "procedure"
        reader.error(
            f"{section.value}[0].optional", PRINCIPAL_NOT_OPTIONAL.format(what=what)
        )


def _read_document(
    reader: _Reader,
    data: Mapping[str, Any],
    *,
    is_key: bool,
    diagnosis_limit: int,
    too_many_diagnoses: str,
) -> dict[Section, tuple]:
    raw_diagnoses = data.get(Section.DIAGNOSES.value, [])
    diagnosis_count = len(raw_diagnoses) if isinstance(raw_diagnoses, list) else 0
    if diagnosis_count > diagnosis_limit:
        reader.error(Section.DIAGNOSES.value, too_many_diagnoses)
    sections = {}
    for section in Section:
        rules = _SectionRules(section, is_key, diagnosis_count)
        sections[section] = _read_section(reader, data.get(section.value, []), rules)
    return sections


def _read_root(
    reader: _Reader, data: Any, name: str, allowed: frozenset[str]
) -> Mapping[str, Any]:
    """The top-level object, whose fields are named without a prefix."""
    if not isinstance(data, Mapping):
        raise SchemaError([(name, MUST_BE_OBJECT)])
    return reader.mapping(data, "", allowed)


def parse_key(data: Any) -> AnswerKey:
    """Build an `AnswerKey` from decoded JSON, or raise `SchemaError`."""
    reader = _Reader()
    allowed = frozenset({"setting", "date_of_service", "weights", *Section})
    document = _read_root(reader, data, "key", allowed)
    weights = document.get("weights", {})
    # The policy module reads the scoring table, which needs this module first.
    from grading.engine.policy import row_value_problems

    for path, message in row_value_problems(weights, "weights"):
        reader.error(path, message)
    setting = _read_setting(reader, document.get("setting"))
    date_of_service = _read_date(reader, document.get("date_of_service"))
    claim_setting = setting or Setting.INPATIENT
    sections = _read_document(
        reader,
        document,
        is_key=True,
        diagnosis_limit=MAX_DIAGNOSES[claim_setting],
        too_many_diagnoses=TOO_MANY_DIAGNOSES.format(
            limit=MAX_DIAGNOSES[claim_setting], setting=claim_setting.value
        ),
    )
    for section, lines in sections.items():
        _check_key_section(reader, section, lines, claim_setting)
    has_required_line = any(
        not line.optional for lines in sections.values() for line in lines
    )
    if not has_required_line and not reader.errors:
        reader.error("key", NO_REQUIRED_LINE)
    reader.raise_if_errors()
    return AnswerKey(
        setting=setting,
        date_of_service=date_of_service,
        diagnoses=sections[Section.DIAGNOSES],
        procedures=sections[Section.PROCEDURES],
        service_lines=sections[Section.SERVICE_LINES],
        weights=dict(weights),
    )


def parse_response(data: Any, *, setting: Setting | str | None = None) -> Response:
    """Build a `Response` from decoded JSON, or raise `SchemaError`.

    With `setting`, the diagnosis limit of that claim type applies (12 outpatient
    or professional, 25 inpatient); without it, only the larger limit does.
    """
    reader = _Reader()
    document = _read_root(reader, data, "response", frozenset(Section))
    if setting is None:
        limit = max(MAX_DIAGNOSES.values())
        too_many = TOO_MANY_ITEMS.format(limit=limit, noun="diagnoses")
    else:
        limit = MAX_DIAGNOSES[Setting(setting)]
        too_many = TOO_MANY_DIAGNOSES.format(
            limit=limit, setting=Setting(setting).value
        )
    sections = _read_document(
        reader,
        document,
        is_key=False,
        diagnosis_limit=limit,
        too_many_diagnoses=too_many,
    )
    reader.raise_if_errors()
    return Response(
        diagnoses=sections[Section.DIAGNOSES],
        procedures=sections[Section.PROCEDURES],
        service_lines=sections[Section.SERVICE_LINES],
    )


def _read_setting(reader: _Reader, value: Any) -> Setting | None:
    if value is None:
        reader.error("setting", REQUIRED)
    elif value not in tuple(Setting):
        reader.error("setting", BAD_SETTING)
    else:
        return Setting(value)
    return None


def _read_date(reader: _Reader, value: Any) -> datetime.date | None:
    if value is None:
        reader.error("date_of_service", REQUIRED)
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        reader.error("date_of_service", BAD_DATE)
        return None


def _display(section: Section, code: str) -> str:
    return display_form(check_section_code(section, code).system, code)


def _service_fields_to_dict(line: KeyLine | GivenLine) -> dict[str, Any]:
    return {
        "modifiers": list(line.modifiers),
        "units": line.units,
        "pointers": list(line.pointers),
    }


def key_to_dict(key: AnswerKey) -> dict[str, Any]:
    """The JSON form of a key (codes in display form); `parse_key` reads it back."""
    document: dict[str, Any] = {
        "setting": key.setting.value,
        "date_of_service": key.date_of_service.isoformat(),
    }
    if key.weights:
        document["weights"] = dict(key.weights)
    for section in Section:
        lines = []
        for line in key.section(section):
            item: dict[str, Any] = {
                "code": _display(section, line.code),
                "alternatives": [_display(section, code) for code in line.alternatives],
                "optional": line.optional,
                "common_errors": [
                    {
                        "code": _display(section, error.code),
                        "explanation": error.explanation,
                    }
                    for error in line.common_errors
                ],
                "rationale": line.rationale,
                "reference": line.reference,
            }
            if section is Section.SERVICE_LINES:
                item.update(_service_fields_to_dict(line))
            if line.modifier_alternatives:
                item["modifier_alternatives"] = [
                    {
                        "modifiers": list(alternative.modifiers),
                        "reason": alternative.reason,
                    }
                    for alternative in line.modifier_alternatives
                ]
            if line.poa:
                item["poa"] = line.poa
            lines.append(item)
        document[section.value] = lines
    return document


def response_to_dict(response: Response) -> dict[str, Any]:
    """The JSON form of a response; `parse_response` reads it back."""
    document: dict[str, Any] = {}
    for section in Section:
        lines = []
        for line in response.section(section):
            item: dict[str, Any] = {"code": line.code}
            if section is Section.SERVICE_LINES:
                item.update(_service_fields_to_dict(line))
            if line.poa:
                item["poa"] = line.poa
            lines.append(item)
        document[section.value] = lines
    return document


def response_from_key(key: AnswerKey) -> Response:
    """The response that lists every key line's main code exactly as the key has it."""

    def given_lines(section: Section) -> tuple[GivenLine, ...]:
        return tuple(
            GivenLine(
                code=_display(section, line.code),
                modifiers=line.modifiers,
                units=line.units,
                pointers=line.pointers,
                poa=line.poa,
            )
            for line in key.section(section)
        )

    return Response(
        diagnoses=given_lines(Section.DIAGNOSES),
        procedures=given_lines(Section.PROCEDURES),
        service_lines=given_lines(Section.SERVICE_LINES),
    )
