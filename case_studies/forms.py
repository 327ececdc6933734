"""The claim-like practice form: plain POST fields, so it works without
JavaScript. Rows are numbered `dx-0-code`, `dx-0-poa` (inpatient), `pcs-0-code`,
`svc-0-code`, `svc-0-modifiers`, `svc-0-units`, `svc-0-pointers`; blank rows are
ignored and pointers refer to diagnosis rows by their number on screen."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from case_studies.models import ClaimSetting
from core.sanitize import clean_text
from grading.engine import Poa
from grading.keys import split_list

DIAGNOSIS_ROWS = 8
PROCEDURE_ROWS = 6
SERVICE_ROWS = 6
MAX_ROWS = 50
MAX_FIELD = 100

BAD_UNITS = "Service line {number}: units must be a whole number from 1 to 9999."
BAD_POINTER = (
    "Service line {number}: pointer {pointer} is not the number of a diagnosis you "
    "entered."
)
BAD_POA = (
    "Diagnosis {number}: the POA indicator must be Y, N, U, W or 1 (or left blank)."
)
POA_CHOICES = tuple(Poa)  # practice.html lists the same in its datalist
_ROW = re.compile(r"^(dx|pcs|svc)-(\d+)-")


@dataclass
class PracticeForm:
    """The rows as entered (for re-display), the engine response, and errors."""

    diagnoses: list[dict] = field(default_factory=list)
    procedures: list[dict] = field(default_factory=list)
    service_lines: list[dict] = field(default_factory=list)
    response: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _text(data, name: str) -> str:
    return clean_text(data.get(name, ""))[:MAX_FIELD].strip()


def _padded(rows: list[dict], minimum: int, blank: dict) -> list[dict]:
    return rows + [dict(blank) for _ in range(max(minimum - len(rows), 1))]


def empty_form(claim_setting: str) -> PracticeForm:
    """A form with the default number of blank rows for the claim."""
    return practice_form_from_post({}, claim_setting)


def practice_form_from_response(response: dict, claim_setting: str) -> PracticeForm:
    """A form holding a submitted answer's lines in their order (codes, POA,
    modifiers, units and pointers), to start a new attempt from."""
    data = {}
    for index, line in enumerate(response.get("diagnoses", [])):
        data[f"dx-{index}-code"] = line["code"]
        data[f"dx-{index}-poa"] = line.get("poa", "")
    for index, line in enumerate(response.get("procedures", [])):
        data[f"pcs-{index}-code"] = line["code"]
    for index, line in enumerate(response.get("service_lines", [])):
        data[f"svc-{index}-code"] = line["code"]
        data[f"svc-{index}-modifiers"] = ", ".join(line.get("modifiers", []))
        data[f"svc-{index}-units"] = str(line.get("units", 1))
        # Diagnoses fill the first rows in order, so a pointer is its row number.
        data[f"svc-{index}-pointers"] = ", ".join(
            str(pointer) for pointer in line.get("pointers", [])
        )
    return practice_form_from_post(data, claim_setting)


def _row_counts(data) -> dict[str, int]:
    counts = {"dx": 0, "pcs": 0, "svc": 0}
    for name in data:
        if match := _ROW.match(name):
            prefix, index = match.group(1), int(match.group(2))
            counts[prefix] = min(max(counts[prefix], index + 1), MAX_ROWS)
    return counts


def practice_form_from_post(data, claim_setting: str) -> PracticeForm:
    """Read the posted rows into a grading-engine response."""
    form = PracticeForm()
    counts = _row_counts(data)
    inpatient = claim_setting == ClaimSetting.INPATIENT
    diagnosis_numbers: dict[int, int] = {}
    for index in range(counts["dx"]):
        code = _text(data, f"dx-{index}-code")
        poa = _text(data, f"dx-{index}-poa").upper() if inpatient else ""
        form.diagnoses.append({"code": code, "poa": poa})
        if code:
            diagnosis_numbers[index + 1] = len(diagnosis_numbers) + 1
        if code and poa and poa not in POA_CHOICES:
            form.errors.append(BAD_POA.format(number=index + 1))
    diagnoses = [
        {"code": row["code"], **({"poa": row["poa"]} if row["poa"] else {})}
        for row in form.diagnoses
        if row["code"] and row["poa"] in ("", *POA_CHOICES)
    ]
    response: dict = {"diagnoses": diagnoses}
    if inpatient:
        for index in range(counts["pcs"]):
            form.procedures.append({"code": _text(data, f"pcs-{index}-code")})
        response["procedures"] = [
            {"code": row["code"]} for row in form.procedures if row["code"]
        ]
    else:
        response["service_lines"] = [
            line
            for index in range(counts["svc"])
            if (line := _service_line(data, index, form, diagnosis_numbers))
        ]
    blank_dx, blank_svc = (
        {"code": "", "poa": ""},
        {"code": "", "modifiers": "", "units": "", "pointers": ""},
    )
    form.diagnoses = _padded(form.diagnoses, DIAGNOSIS_ROWS, blank_dx)
    form.procedures = _padded(form.procedures, PROCEDURE_ROWS, blank_dx)
    form.service_lines = _padded(form.service_lines, SERVICE_ROWS, blank_svc)
    form.response = response
    return form


def _service_line(data, index: int, form: PracticeForm, numbers: dict[int, int]):
    prefix = f"svc-{index}-"
    row = {
        name: _text(data, prefix + name)
        for name in ("code", "modifiers", "units", "pointers")
    }
    form.service_lines.append(row)
    if not row["code"]:
        return None
    number = index + 1
    line: dict = {"code": row["code"], "modifiers": split_list(row["modifiers"])}
    units = row["units"] or "1"
    if units.isdigit() and 1 <= int(units) <= 9999:
        line["units"] = int(units)
    else:
        form.errors.append(BAD_UNITS.format(number=number))
    pointers = []
    for pointer in split_list(row["pointers"]):
        if pointer.isdigit() and int(pointer) in numbers:
            pointers.append(numbers[int(pointer)])
        else:
            form.errors.append(BAD_POINTER.format(number=number, pointer=pointer))
    line["pointers"] = pointers
    return line
