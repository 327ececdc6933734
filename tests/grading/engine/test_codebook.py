import datetime

from codeformats import CodeSystem
from grading.engine import (
    PRACTICE,
    CodeStatus,
    DictCodeBook,
    FormatOnlyCodeBook,
    grade,
)

from .helpers import CODEBOOK, HEADER_MESSAGE, make_key, make_response

DAY = datetime.date(2026, 3, 14)


def test_format_only_code_book_accepts_well_formed_codes():
    statuses = FormatOnlyCodeBook().lookup(CodeSystem.ICD10CM, ["E1165", "E1"], DAY)
    assert statuses["E1165"] == CodeStatus("E1165", True)
    assert not statuses["E1"].valid
    assert "is not a valid ICD-10-CM code" in statuses["E1"].message


def test_dict_code_book_knows_valid_headers_and_unknown_codes():
    statuses = CODEBOOK.lookup(CodeSystem.ICD10CM, ["E1165", "E116", "E1199"], DAY)
    assert statuses["E1165"].valid
    assert statuses["E116"] == CodeStatus("E116", False, HEADER_MESSAGE)
    assert statuses["E1199"].message == (
        "E11.99 is not in the ICD-10-CM release in force on 2026-03-14."
    )


def test_dict_code_book_keeps_descriptions():
    book = DictCodeBook({CodeSystem.HCPCS: {"J1100": "Our demo wording"}})
    assert book.lookup(CodeSystem.HCPCS, ["J1100"], DAY)["J1100"].description == (
        "Our demo wording"
    )


class RecordingCodeBook:
    def __init__(self):
        self.calls = []

    def lookup(self, system, codes, date_of_service):
        self.calls.append((system, frozenset(codes), date_of_service))
        return CODEBOOK.lookup(system, codes, date_of_service)


def test_grading_asks_once_per_code_system_with_all_codes():
    book = RecordingCodeBook()
    key = make_key(
        diagnoses=["E11.65", "I10", {"code": "Z79.4", "alternatives": ["Z79.84"]}],
        procedures=["0DTJ4ZZ"],
        service_lines=["99214", "J1100"],
    )
    response = make_response(
        diagnoses=["e11.9", "I10", "J44.1", "not a code"],
        procedures=["0DTJ0ZZ"],
        service_lines=["99214", "A4253", "J1100"],
    )
    grade(key, response, PRACTICE, book)
    assert sorted(book.calls, key=lambda call: call[0]) == [
        (CodeSystem.CPT, frozenset({"99214"}), DAY),
        (CodeSystem.HCPCS, frozenset({"J1100", "A4253"}), DAY),
        (
            CodeSystem.ICD10CM,
            frozenset({"E1165", "I10", "Z794", "Z7984", "E119", "J441"}),
            DAY,
        ),
        (CodeSystem.ICD10PCS, frozenset({"0DTJ4ZZ", "0DTJ0ZZ"}), DAY),
    ]
