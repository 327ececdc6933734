"""Turn the exam page's form fields into the answer format of the save service,
and back. One path serves the page without script and its autosave."""

from __future__ import annotations

from django.http import QueryDict

from exams.models import QuestionKind
from grading.models import ClaimSetting

DIAGNOSES = (
    "diagnoses",
    "Diagnosis codes (ICD-10-CM)",
    "One code per line, e.g. E11.9.",
)
INPATIENT_DIAGNOSES = (
    "diagnoses",
    "Diagnosis codes (ICD-10-CM) with POA indicator",
    "One code per line, then its present-on-admission indicator, e.g. K35.80 Y.",
)
PROCEDURES = (
    "procedures",
    "Procedure codes (ICD-10-PCS)",
    "One code per line, e.g. 0DTJ4ZZ.",
)
SERVICE_LINES = (
    "service_lines",
    "Service lines (CPT/HCPCS)",
    "One service per line as CODE-MODIFIER xUNITS, e.g. 99213-25 x1.",
)


def coding_sections(setting: str) -> tuple[tuple[str, str, str], ...]:
    """The sections (name, label, hint) an item of the claim `setting` is coded
    in, as the case practice form draws them: an inpatient claim takes
    ICD-10-CM with POA and ICD-10-PCS, the others ICD-10-CM and service lines."""
    if setting == ClaimSetting.INPATIENT:
        return (INPATIENT_DIAGNOSES, PROCEDURES)
    return (DIAGNOSES, SERVICE_LINES)


def _service_line(text: str) -> dict:
    """`99214-25 x2` → code 99214, modifier 25, 2 units."""
    parts = text.split()
    code, *modifiers = parts[0].split("-")
    line: dict = {"code": code}
    if modifiers := [m for m in modifiers if m]:
        line["modifiers"] = modifiers
    for part in parts[1:]:
        if part.lower().startswith("x") and part[1:].isdigit():
            line["units"] = int(part[1:])
        else:
            line.setdefault("modifiers", []).append(part.lstrip("-"))
    return line


def _diagnosis(text: str, *, inpatient: bool) -> dict:
    """`K35.80 Y` → code K35.80 and, on an inpatient claim, POA indicator Y."""
    code, *rest = text.split()
    if inpatient and rest:
        return {"code": code, "poa": rest[0].upper()}
    return {"code": code}


def response_from_form(item: dict, data: QueryDict) -> dict:
    """The answer the form holds for `item` (its state as the page has it):
    chosen option ids, or coding lines in the sections of its setting (one code
    per line; an inpatient diagnosis with its POA indicator after it; service
    lines as `CODE-MOD xUNITS`)."""
    if item["kind"] != QuestionKind.CODING:
        return {"options": data.getlist("options")}
    inpatient = item["setting"] == ClaimSetting.INPATIENT
    response: dict = {}
    for name, _label, _hint in coding_sections(item["setting"]):
        lines = [line.strip() for line in data.get(name, "").splitlines()]
        lines = [line for line in lines if line]
        if name == "service_lines":
            response[name] = [_service_line(line) for line in lines]
        elif name == "diagnoses":
            response[name] = [_diagnosis(line, inpatient=inpatient) for line in lines]
        else:
            response[name] = [{"code": line.split()[0]} for line in lines]
    return response


def form_text(response: dict | None) -> dict[str, str]:
    """A saved coding answer as the text of each section's field."""
    response = response or {}
    text = {}
    for name in ("diagnoses", "procedures", "service_lines"):
        lines = []
        for line in response.get(name, []):
            value = "-".join([line["code"], *line.get("modifiers", [])])
            if line.get("units", 1) != 1:
                value += f" x{line['units']}"
            if line.get("poa"):
                value += f" {line['poa']}"
            lines.append(value)
        text[name] = "\n".join(lines)
    return text
