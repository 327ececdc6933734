"""The content the linter reads from the database, and its findings.

Every case study page's key (its live content), every coding exam item, every
code-entry check of a lesson and the codes of every billing scenario's claim key,
each with the record text the patient's age and sex are read from; and what keeps
a billing scenario from publishing (`billing.checks`). Findings an author
accepted with a reason (`AcceptedFinding`) are set apart, not reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import ValidationError

from billing.checks import coding_key, scenario_problems
from billing.engine.claim_key import parse_claim_key
from billing.models import BillingScenarioPage
from billing.models.pages import format_errors
from case_studies.models import CaseStudyPage
from content_checks.codebook import DatabaseContentBook
from content_checks.models import AcceptedFinding
from content_checks.rules import (
    BILLING_SCENARIO,
    KEY_SCHEMA,
    SEVENTH_CHARACTER,
    VALIDITY,
    ContentCodeBook,
    Finding,
    check_key,
    patient_from_text,
)
from courses.models import LessonPage
from exams.models import Question, QuestionKind

BLOCKING = (
    "{message} [{rule}] To keep it, record the reason under Accepted findings as "
    "{code}."
)


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
        yield KeyToCheck(case_where(page.slug), page.key_data, record, page.setting)
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
    settings = dict(CaseStudyPage.objects.values_list("slug", "setting"))
    for page in _billing_scenarios().exclude(claim_key=None):
        try:
            claim = parse_claim_key(page.claim_key).claim
        except ValueError:
            continue  # a key that does not parse is a scenario problem
        yield KeyToCheck(
            billing_where(page.slug),
            coding_key(claim),
            records.get(page.case_slug, ""),
            settings.get(page.case_slug, ""),
        )


def _billing_scenarios():
    return BillingScenarioPage.objects.order_by("slug")


def billing_where(slug: str) -> str:
    """How the linter names a billing scenario."""
    return f"billing scenario {slug}"


def billing_findings() -> list[Finding]:
    """What keeps each billing scenario from publishing, as findings."""
    findings = []
    for page in _billing_scenarios():
        try:
            problems = scenario_problems(page.scenario())
        except ValidationError as error:  # a page whose fields no longer parse
            problems = format_errors(error)
        where = billing_where(page.slug)
        findings += [Finding(BILLING_SCENARIO, (), where, p) for p in problems]
    return findings


def case_where(slug: str) -> str:
    """How the linter names a case, in findings and accepted findings."""
    return f"case {slug}"


def _stream_text(raw_data) -> str:
    parts = []
    for block in raw_data:
        value = block.get("value") if isinstance(block, dict) else None
        parts.extend(value.values() if isinstance(value, dict) else [value or ""])
    return " ".join(str(part) for part in parts)


@dataclass(frozen=True)
class ContentReport:
    findings: list[Finding]
    accepted: list[Finding]


def content_findings(book: ContentCodeBook | None = None) -> ContentReport:
    """The findings of every key in the database, in the order of `keys_to_check`,
    with the accepted ones apart."""
    book = book or DatabaseContentBook()
    accepted = set(AcceptedFinding.objects.values_list("where", "finding"))
    report = ContentReport([], [])
    for item in keys_to_check():
        for finding in check_key(
            item.key,
            where=item.where,
            patient=patient_from_text(item.record),
            book=book,
            setting=item.setting,
        ):
            bucket = (
                report.accepted
                if (finding.where, finding.code) in accepted
                else report.findings
            )
            bucket.append(finding)
    report.findings.extend(billing_findings())
    return report


# The key's own validation (grading.keys.key_errors) already refuses these.
_VALIDATED_ELSEWHERE = (VALIDITY, SEVENTH_CHARACTER, KEY_SCHEMA)


def unaccepted_findings(
    *, where: str, key: dict, record: str, setting: str = ""
) -> list[Finding]:
    """The findings that block saving one key: those without an accepted reason,
    leaving out the code validity its own validation reports."""
    accepted = set(
        AcceptedFinding.objects.filter(where=where).values_list("finding", flat=True)
    )
    return [
        finding
        for finding in check_key(
            key,
            where=where,
            patient=patient_from_text(record),
            book=DatabaseContentBook(),
            setting=setting,
        )
        if finding.rule not in _VALIDATED_ELSEWHERE and finding.code not in accepted
    ]


def case_blocking_errors(
    *, slug: str, key: dict, documentation, setting: str
) -> list[str]:
    """Why a case key may not be saved, imported or published: each finding
    without an accepted reason (`documentation` is the raw StreamField data)."""
    findings = unaccepted_findings(
        where=case_where(slug),
        key=key,
        record=_stream_text(documentation),
        setting=setting,
    )
    return [
        BLOCKING.format(message=f.message, rule=f.rule.slug, code=f.code)
        for f in findings
    ]
