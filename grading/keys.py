"""The answer key in two shapes: the key editor's blocks (grading.key_blocks), the
grading engine's key JSON for grading, imports and bundles; and its validation
against the code sets in force on the key's date of service."""

from __future__ import annotations

from datetime import date

from codeformats import CodeSystem, procedure_system
from codesets.validation import validate_codes_on
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
INVALID_CODE = "{label} {number}: {message}"
INVALID_ALTERNATIVE = "{label} {number}, alternative {code}: {message}"


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


def key_errors(key: dict) -> list[tuple[str, str]]:
    """Every problem of a key as (field path, message): its schema first, then each
    code that is not reportable on the key's date of service."""
    try:
        parsed = parse_key(key)
    except SchemaError as error:
        return list(error.errors)
    wanted: dict[CodeSystem, list[tuple[str, str, str]]] = {}
    for section, lines in (
        ("diagnoses", key["diagnoses"]),
        ("procedures", key["procedures"]),
        ("service_lines", key["service_lines"]),
    ):
        for index, line in enumerate(lines):
            for code in [line["code"], *line.get("alternatives", [])]:
                system = _system_of(section, code)
                wanted.setdefault(system, []).append((section, str(index), code))
    errors = []
    for system, items in wanted.items():
        results = validate_codes_on(
            system, [code for _, _, code in items], parsed.date_of_service
        )
        for section, index, code in items:
            check = results[code]
            if check.valid:
                continue
            line = key[section][int(index)]
            label, number = SECTION_LABELS[section], int(index) + 1
            if code == line["code"]:
                message = INVALID_CODE.format(
                    label=label, number=number, message=check.message
                )
                errors.append((f"{section}[{index}].code", message))
            else:
                message = INVALID_ALTERNATIVE.format(
                    label=label, number=number, code=code, message=check.message
                )
                errors.append((f"{section}[{index}].alternatives", message))
    return errors


def _system_of(section: str, code: str) -> CodeSystem:
    if section == "diagnoses":
        return CodeSystem.ICD10CM
    if section == "procedures":
        return CodeSystem.ICD10PCS
    return procedure_system(code) or CodeSystem.CPT
