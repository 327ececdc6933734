"""The answer key in two shapes: the key editor's blocks (grading.key_blocks), the
grading engine's key JSON for grading, imports and bundles; and its validation
against the code sets in force on the key's date of service."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from codeformats import CodeSystem, procedure_system
from codesets.validation import validate_codes_on
from core.imports import human_path, parse_dotted_path
from grading.engine import SchemaError, parse_key

SECTION_OF_BLOCK = {
    "diagnosis": "diagnoses",
    "procedure": "procedures",
    "service_line": "service_lines",
}
BLOCK_OF_SECTION = {section: block for block, section in SECTION_OF_BLOCK.items()}
SECTION_LABELS = {
    "diagnoses": "Diagnosis",
    "procedures": "Procedure",
    "service_lines": "Service line",
}
SECTION_HEADINGS = {
    "diagnoses": "Diagnoses",
    "procedures": "Procedures",
    "service_lines": "Service lines",
}
AUTHOR_PROBLEM = "{location}: {message}"
# A path the engine wrote inside a message, e.g. "already listed at diagnoses[0].code".
_PATH_IN_MESSAGE = re.compile(
    r"\b(?:diagnoses|procedures|service_lines)\[\d+\](?:\.\w+|\[\d+\])*"
)


def split_list(raw: str) -> list[str]:
    """`"25, RT"` as `["25", "RT"]`; commas or spaces separate."""
    return [item for item in raw.replace(",", " ").split() if item]


def key_from_blocks(
    stream_data,
    *,
    setting: str,
    date_of_service: date | str | None,
    weights: dict | None = None,
) -> dict:
    """The engine key JSON of an answer-key StreamField value, with the key's
    weight overrides (left out when there are none, so that a key without them
    keeps its fingerprint). The value may be a form's, not yet cleaned: a date
    or units still as typed pass through for the schema to judge."""
    if isinstance(date_of_service, date):
        date_of_service = date_of_service.isoformat()
    key = {
        "setting": setting,
        "date_of_service": date_of_service or "",
        "diagnoses": [],
        "procedures": [],
        "service_lines": [],
    }
    if weights:
        key["weights"] = weights
    for block in stream_data:
        value = block.value
        line = {
            "code": value["code"].strip(),
            "alternatives": split_list(value["alternatives"] or ""),
            "optional": bool(value["optional"]),
            "common_errors": [
                {"code": error["code"].strip(), "explanation": error["explanation"]}
                for error in value["common_errors"]
            ],
            "rationale": value["rationale"],
            "reference": value["reference"] or "",
        }
        if block.block_type == "diagnosis" and value.get("poa"):
            line["poa"] = value["poa"]
        if block.block_type == "service_line":
            line["modifiers"] = split_list(value["modifiers"] or "")
            alternatives = value.get("modifier_alternatives") or []
            if alternatives:
                line["modifier_alternatives"] = [
                    {
                        "modifiers": split_list(item["modifiers"] or ""),
                        "reason": item["reason"],
                    }
                    for item in alternatives
                ]
            line["units"] = _number(value["units"] or 1)
            line["pointers"] = [_number(p) for p in split_list(value["pointers"] or "")]
        key[SECTION_OF_BLOCK[block.block_type]].append(line)
    return key


def _number(raw):
    # A non-number is passed through so that parse_key names the line and field.
    return int(raw) if str(raw).isdigit() else raw


def blocks_from_key(key: dict) -> list[dict]:
    """Raw StreamField data (a list of `{"type", "value"}`) for a key JSON."""
    stream = []
    for section, block_type in BLOCK_OF_SECTION.items():
        for line in key.get(section, []):
            value = {
                "code": line["code"],
                "alternatives": ", ".join(line.get("alternatives", [])),
                "optional": bool(line.get("optional", False)),
                "common_errors": [
                    {"code": e["code"], "explanation": e["explanation"]}
                    for e in line.get("common_errors", [])
                ],
                "rationale": line.get("rationale", ""),
                "reference": line.get("reference", ""),
            }
            if section == "diagnoses":
                value["poa"] = line.get("poa", "")
            if section == "service_lines":
                value["modifiers"] = ", ".join(line.get("modifiers", []))
                value["modifier_alternatives"] = [
                    {
                        "modifiers": ", ".join(item.get("modifiers", [])),
                        "reason": item.get("reason", ""),
                    }
                    for item in line.get("modifier_alternatives", [])
                ]
                value["units"] = line.get("units", 1)
                value["pointers"] = ", ".join(str(p) for p in line.get("pointers", []))
            stream.append({"type": block_type, "value": value})
    return stream


def author_location(path: str) -> str:
    """An engine field path as an author counts: "service_lines[1].pointers[0]" is
    "service line 2 → pointer 1" (the import files' wording, `core.imports`)."""
    return human_path(parse_dotted_path(path))


def author_problem(path: str, message: str, *, sentence: bool = True) -> str:
    """A key problem as an author reads it, "Service line 2 → pointer 1: …", with
    any engine path inside the message in the same words: the one place that
    turns the engine's field paths into words (key editor, case pages, imports).
    `sentence=False` keeps the place lower-case, for the middle of an import's
    chain of places ("lesson 2 → block 3 → key: setting: …")."""
    message = author_message(message)
    if not path:
        return message
    location = author_location(path)
    if sentence:
        location = location[:1].upper() + location[1:]
    return AUTHOR_PROBLEM.format(location=location, message=message)


def author_message(message: str) -> str:
    """A message with the engine paths inside it ("already listed at
    diagnoses[0].code") in an author's words."""
    return _PATH_IN_MESSAGE.sub(lambda found: author_location(found[0]), message)


@dataclass(frozen=True)
class KeyProblem:
    """One problem of a key: the field it is on as the engine names it (`path`,
    which the key editor places it by), where an author reads it is (`place`: a
    line's code is the line itself) and what is wrong; `str()` is all of it in
    an author's words."""

    path: str
    place: str
    message: str

    def __str__(self) -> str:
        return author_problem(self.place, self.message)


def key_errors(key: dict) -> list[KeyProblem]:
    """Every problem of a key: its schema first, then each code that is not
    reportable on the key's date of service."""
    try:
        parsed = parse_key(key)
    except SchemaError as error:
        return [
            KeyProblem(path, path, author_message(message))
            for path, message in error.errors
        ]
    # Per code system: (field path, place, code) of every code of the key.
    wanted: dict[CodeSystem, list[tuple[str, str, str]]] = {}
    for section, lines in (
        ("diagnoses", key["diagnoses"]),
        ("procedures", key["procedures"]),
        ("service_lines", key["service_lines"]),
    ):
        for index, line in enumerate(lines):
            at = f"{section}[{index}]"
            codes = [(f"{at}.code", at, line["code"])] + [
                (f"{at}.alternatives", f"{at}.alternatives[{number}]", code)
                for number, code in enumerate(line.get("alternatives", []))
            ]
            for item in codes:
                wanted.setdefault(_system_of(section, item[2]), []).append(item)
    errors = []
    for system, items in wanted.items():
        results = validate_codes_on(
            system, [code for _, _, code in items], parsed.date_of_service
        )
        errors += [
            KeyProblem(path, place, results[code].message)
            for path, place, code in items
            if not results[code].valid
        ]
    return errors


def _system_of(section: str, code: str) -> CodeSystem:
    if section == "diagnoses":
        return CodeSystem.ICD10CM
    if section == "procedures":
        return CodeSystem.ICD10PCS
    return procedure_system(code) or CodeSystem.CPT
