"""Short builders for keys, responses and a code book, so each test case reads as
the codes it is about. All clinical content is fictional."""

from __future__ import annotations

from typing import Any

from codeformats import CodeSystem
from grading.engine import (
    PRACTICE,
    AnswerKey,
    DictCodeBook,
    Response,
    Result,
    ScoringPolicy,
    grade,
    parse_key,
    parse_response,
)

DATE_OF_SERVICE = "2026-03-14"
HEADER_MESSAGE = "E11.6 is a category header: it needs more characters."

DIAGNOSIS_CODES = [
    "E11.65",
    "E11.649",
    "E11.69",
    "E11.9",
    "E11.21",
    "E11.22",
    "E11.29",
    "I10",
    "I11.9",
    "J44.1",
    "J44.0",
    "J18.9",
    "N18.30",
    "Z79.4",
    "Z79.84",
    "S72.001A",
    "S72.001D",
    "S72.002A",
    "M17.11",
    "M17.12",
    "R07.9",
    "K35.80",
]
PROCEDURE_CODES = [
    "0DTJ4ZZ",
    "0DTJ0ZZ",
    "0DTJ3ZZ",
    "0DTJ0ZX",
    "0DBJ4ZZ",
    "0SRC0J9",
    "0SRD0J9",
    "02703DZ",
    "5A1955Z",
]
CPT_CODES = ["99213", "99214", "99215", "20610", "93000", "90471", "11042", "36415"]
HCPCS_CODES = ["G0008", "J1100", "J3301", "A4253"]

CODEBOOK = DictCodeBook(
    valid={
        CodeSystem.ICD10CM: dict.fromkeys(DIAGNOSIS_CODES, ""),
        CodeSystem.ICD10PCS: dict.fromkeys(PROCEDURE_CODES, ""),
        CodeSystem.CPT: dict.fromkeys(CPT_CODES, ""),
        CodeSystem.HCPCS: dict.fromkeys(HCPCS_CODES, ""),
    },
    not_reportable={CodeSystem.ICD10CM: {"E11.6": HEADER_MESSAGE}},
)


def _lines(items: list[Any]) -> list[dict[str, Any]]:
    return [{"code": item} if isinstance(item, str) else item for item in items]


def key_data(
    diagnoses: list[Any] = (),
    procedures: list[Any] = (),
    service_lines: list[Any] = (),
    setting: str = "outpatient",
) -> dict[str, Any]:
    """Key JSON from codes or line dicts."""
    return {
        "setting": setting,
        "date_of_service": DATE_OF_SERVICE,
        "diagnoses": _lines(list(diagnoses)),
        "procedures": _lines(list(procedures)),
        "service_lines": _lines(list(service_lines)),
    }


def make_key(*args: Any, **kwargs: Any) -> AnswerKey:
    return parse_key(key_data(*args, **kwargs))


def make_response(
    diagnoses: list[Any] = (),
    procedures: list[Any] = (),
    service_lines: list[Any] = (),
) -> Response:
    return parse_response(
        {
            "diagnoses": _lines(list(diagnoses)),
            "procedures": _lines(list(procedures)),
            "service_lines": _lines(list(service_lines)),
        }
    )


def grade_with(
    key: AnswerKey, response: Response, policy: ScoringPolicy = PRACTICE
) -> Result:
    return grade(key, response, policy, CODEBOOK)
