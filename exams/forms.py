"""Turn the exam page's form fields into the answer format of the save service,
and back. One path serves the page without script and its autosave."""

from __future__ import annotations

from django.http import QueryDict

from exams.models import QuestionKind

CODING_SECTIONS = (
    ("diagnoses", "Diagnosis codes (ICD-10-CM)", "icd10cm"),
    ("procedures", "Procedure codes (ICD-10-PCS)", "icd10pcs"),
    ("service_lines", "Service lines (CPT/HCPCS)", "cpt"),
)


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


def response_from_form(kind: str, data: QueryDict) -> dict:
    """The answer the form holds: chosen option ids, or coding lines (one code per
    line of each section; service lines as `CODE-MOD xUNITS`)."""
    if kind != QuestionKind.CODING:
        return {"options": data.getlist("options")}
    response: dict = {}
    for name, _label, _system in CODING_SECTIONS:
        lines = [line.strip() for line in data.get(name, "").splitlines()]
        lines = [line for line in lines if line]
        if name == "service_lines":
            response[name] = [_service_line(line) for line in lines]
        else:
            response[name] = [{"code": line.split()[0]} for line in lines]
    return response


def form_text(response: dict | None) -> dict[str, str]:
    """A saved coding answer as the text of each section's field."""
    response = response or {}
    text = {}
    for name, _label, _system in CODING_SECTIONS:
        lines = []
        for line in response.get(name, []):
            value = "-".join([line["code"], *line.get("modifiers", [])])
            if line.get("units", 1) != 1:
                value += f" x{line['units']}"
            lines.append(value)
        text[name] = "\n".join(lines)
    return text
