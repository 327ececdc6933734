"""The content the linter reads from the database, and its findings.

Every case study page's key (its live content), every coding exam item and every
code-entry check of a lesson, each with the record text the patient's age and sex
are read from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from case_studies.models import CaseStudyPage
from content_checks.codebook import DatabaseContentBook
from content_checks.rules import (
    ContentCodeBook,
    Finding,
    check_key,
    patient_from_text,
)
from courses.models import LessonPage
from exams.models import Question, QuestionKind


@dataclass(frozen=True)
class KeyToCheck:
    """One answer key and what the linter needs to know about its record."""

    where: str
    key: dict
    record: str
    setting: str = ""


def keys_to_check() -> Iterator[KeyToCheck]:
    """Every key in the database: cases, coding exam items, lesson checks."""
    records = {}
    for page in CaseStudyPage.objects.order_by("slug"):
        record = _stream_text(page.documentation.raw_data)
        records[page.slug] = record
        yield KeyToCheck(f"case {page.slug}", page.key_data, record, page.setting)
    questions = Question.objects.filter(kind=QuestionKind.CODING).order_by("slug")
    for question in questions:
        record = question.scenario + records.get(question.case_slug, "")
        yield KeyToCheck(f"exam item {question.slug}", question.key, record)
    for lesson in LessonPage.objects.order_by("slug"):
        for block in lesson.body.raw_data:
            if block["type"] != "code_entry_check":
                continue
            value = block["value"]
            yield KeyToCheck(
                f"lesson {lesson.slug}, check {value['check_id']}",
                value["key"],
                value.get("documentation") or "",
            )


def _stream_text(raw_data) -> str:
    parts = []
    for block in raw_data:
        value = block["value"]
        parts.extend(value.values() if isinstance(value, dict) else [value])
    return " ".join(str(part) for part in parts)


def content_findings(book: ContentCodeBook | None = None) -> list[Finding]:
    """The findings of every key in the database, in the order of `keys_to_check`."""
    book = book or DatabaseContentBook()
    findings: list[Finding] = []
    for item in keys_to_check():
        findings += check_key(
            item.key,
            where=item.where,
            patient=patient_from_text(item.record),
            book=book,
            setting=item.setting,
        )
    return findings
