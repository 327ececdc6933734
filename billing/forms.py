"""The claim form as the browser posts it: one input per box, named by the box's
path in the claim ("patient.last_name", "lines.2.code"), read back into a
`Claim` with every box as typed.

Repeating boxes (box 21's diagnoses, box 24's lines, the UB-04's FL 67 and FL
74) have a fixed number of rows as on the paper form; trailing empty rows are
dropped, and modifiers, pointers and condition codes are typed in one box each,
separated by spaces or commas.
"""

from __future__ import annotations

import re

from billing.engine.claim import MAX_DIAGNOSES_1500, Claim, ClaimForm

LINE_ROWS = {ClaimForm.CMS1500: 6, ClaimForm.UB04: 8}
OTHER_DIAGNOSIS_ROWS = 8
PROCEDURE_ROWS = 6
OCCURRENCE_ROWS = 4
MAX_BOX = 80
BOX_TOO_LONG = "{label}: at most {limit} characters."
TOO_MANY = "{label}: at most {limit} entries."

PERSON = ("last_name", "first_name", "birth_date", "sex")
ADDRESS = ("line1", "city", "state", "zip")
PROVIDER = ("npi", "name", "tax_id", "taxonomy")
LINE = (
    "service_date",
    "place_of_service",
    "revenue_code",
    "code",
    "modifiers",
    "pointers",
    "charge",
    "units",
    "rendering_npi",
)
INSTITUTIONAL = (
    "type_of_bill",
    "statement_from",
    "statement_to",
    "admission_date",
    "admission_type",
    "admission_source",
    "discharge_status",
    "condition_codes",
    "admitting_diagnosis",
)
LISTS = {"modifiers": 4, "pointers": 4, "condition_codes": 11}
_SPLIT = re.compile(r"[\s,;]+")


class ClaimFormData:
    """A posted claim form: the `claim` it holds and the `errors` of boxes that
    cannot be kept as typed (too long)."""

    def __init__(self, post, form: ClaimForm):
        self.form = form
        self.errors: list[str] = []
        self._post = post
        self.claim = Claim.model_validate(self._claim_data())

    def _text(self, path: str) -> str:
        value = str(self._post.get(path, "")).strip()
        if len(value) > MAX_BOX:
            self.errors.append(BOX_TOO_LONG.format(label=path, limit=MAX_BOX))
            return value[:MAX_BOX]
        return value

    def _list(self, path: str, name: str) -> tuple[str, ...]:
        items = tuple(i.upper() for i in _SPLIT.split(self._text(path)) if i)
        if name == "pointers" and len(items) == 1 and len(items[0]) > 1:
            items = tuple(items[0])  # "AB" typed as one word
        if len(items) > LISTS[name]:
            self.errors.append(TOO_MANY.format(label=path, limit=LISTS[name]))
            items = items[: LISTS[name]]
        return items

    def _group(self, prefix: str, names) -> dict:
        return {name: self._text(f"{prefix}.{name}") for name in names}

    def _person(self, prefix: str) -> dict:
        return {
            **self._group(prefix, PERSON),
            "address": self._group(f"{prefix}.address", ADDRESS),
        }

    def _provider(self, prefix: str) -> dict:
        return {
            **self._group(prefix, PROVIDER),
            "address": self._group(f"{prefix}.address", ADDRESS),
        }

    def _rows(self, prefix: str, count: int, read) -> list:
        rows = [read(f"{prefix}.{i}") for i in range(count)]
        while rows and not _filled(rows[-1]):
            rows.pop()
        return rows

    def _line(self, prefix: str) -> dict:
        line = {}
        for name in LINE:
            path = f"{prefix}.{name}"
            line[name] = self._list(path, name) if name in LISTS else self._text(path)
        return line

    def _claim_data(self) -> dict:
        data = {
            "form": self.form,
            "patient_control_number": self._text("patient_control_number"),
            "frequency": self._text("frequency") or "1",
            "original_reference": self._text("original_reference"),
            "prior_authorization": self._text("prior_authorization"),
            "patient": self._person("patient"),
            "insurance": {
                **self._group(
                    "insurance",
                    (
                        "payer_id",
                        "plan_type",
                        "member_id",
                        "group_number",
                        "relationship",
                    ),
                ),
                "insured": self._person("insurance.insured"),
            },
            "billing_provider": self._provider("billing_provider"),
            "rendering_provider": self._provider("rendering_provider"),
            "lines": self._rows("lines", LINE_ROWS[self.form], self._line),
        }
        if self.form == ClaimForm.CMS1500:
            data["diagnoses"] = self._rows("diagnoses", MAX_DIAGNOSES_1500, self._text)
        else:
            data["institutional"] = self._institutional()
        return data

    def _institutional(self) -> dict:
        prefix = "institutional"
        data = {}
        for name in INSTITUTIONAL:
            path = f"{prefix}.{name}"
            data[name] = self._list(path, name) if name in LISTS else self._text(path)
        data["principal_diagnosis"] = self._group(
            f"{prefix}.principal_diagnosis", ("code", "poa")
        )
        data["other_diagnoses"] = self._rows(
            f"{prefix}.other_diagnoses",
            OTHER_DIAGNOSIS_ROWS,
            lambda p: self._group(p, ("code", "poa")),
        )
        data["procedures"] = self._rows(
            f"{prefix}.procedures",
            PROCEDURE_ROWS,
            lambda p: self._group(p, ("code", "date")),
        )
        data["occurrence_codes"] = self._rows(
            f"{prefix}.occurrence_codes",
            OCCURRENCE_ROWS,
            lambda p: self._group(p, ("code", "date")),
        )
        data["attending"] = self._provider(f"{prefix}.attending")
        return data


def _filled(row) -> bool:
    if isinstance(row, dict):
        return any(_filled(v) for v in row.values())
    if isinstance(row, tuple | list):
        return any(row)
    return bool(row)


def claim_boxes(claim: Claim) -> dict[str, str]:
    """Every box's value by its input name, lists joined by spaces, for drawing
    the form: the inverse of `ClaimFormData`. Rows up to the form's size are
    present, empty when the claim has fewer."""
    boxes: dict[str, str] = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(f"{prefix}.{name}" if prefix else name, inner)
        elif isinstance(value, list):
            if prefix.rpartition(".")[2] in LISTS:
                boxes[prefix] = " ".join(value)
            else:
                for i, inner in enumerate(value):
                    walk(f"{prefix}.{i}", inner)
        elif value is not None:
            boxes[prefix] = str(value)

    walk("", claim.model_dump(mode="json"))
    return boxes
