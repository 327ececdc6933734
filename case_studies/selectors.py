"""Reads of the case studies app: the library, a case to practise, attempts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Collate, Lower
from django.shortcuts import get_object_or_404

from case_studies.collation import SQLITE_TITLE_COLLATION
from case_studies.models import CaseAttempt, CaseStudyPage
from case_studies.visibility import attempt_feedback
from codeformats import CodeSystem, compact, procedure_system
from codesets.models import Release
from codesets.selectors import release_in_force, releases_current, rows_by_code
from grading.keys import SECTION_HEADINGS, SECTION_LABELS
from grading.models import GradedResponse
from grading.selectors import domain_accuracy_for

FILTERS = ("setting", "specialty", "exam", "domain", "difficulty", "progress")
PROGRESS_CHOICES = [("new", "Not yet attempted"), ("retry", "Needs retry")]
# CPT is not here: its descriptors are the AMA's and never shown.
DESCRIBED_SYSTEMS = frozenset(
    {CodeSystem.ICD10CM, CodeSystem.ICD10PCS, CodeSystem.HCPCS}
)


def title_order() -> Collate | Lower:
    """Titles as a reader sorts them: "Carboplatin" before "COPD", "Éclampsia"
    among the Es. PostgreSQL has ICU's root collation; SQLite the one this app
    registers (`case_studies.collation`)."""
    if connection.vendor == "postgresql":
        return Collate("title", "und-x-icu")
    if connection.vendor == "sqlite":
        return Collate("title", SQLITE_TITLE_COLLATION)
    return Lower("title")


def published_cases() -> QuerySet[CaseStudyPage]:
    return (
        CaseStudyPage.objects.live()
        .public()
        .prefetch_related("exams", "domains")
        .order_by(title_order(), "pk")
    )


def case_for_practice(slug: str) -> CaseStudyPage:
    """A published case by slug, or 404."""
    return get_object_or_404(published_cases(), slug=slug)


def case_by_id(case_id: int) -> CaseStudyPage:
    return get_object_or_404(published_cases(), pk=case_id)


def best_scores_for(learner) -> dict[int, float]:
    """The learner's best percentage on each case they submitted."""
    best: dict[int, float] = {}
    rows = CaseAttempt.objects.filter(
        learner=learner, graded_response__isnull=False
    ).values_list("case_id", "graded_response__points", "graded_response__max_points")
    for case_id, points, max_points in rows:
        percentage = 100 * points / max_points if max_points else 0.0
        best[case_id] = max(best.get(case_id, 0.0), percentage)
    return best


@dataclass(frozen=True)
class LibraryEntry:
    case: CaseStudyPage
    best: float | None


def library_for(learner, filters: dict) -> list[LibraryEntry]:
    """Published cases matching the library's filters, with the learner's best
    score on each (None when not attempted)."""
    cases = published_cases()
    if filters.get("setting"):
        cases = cases.filter(setting=filters["setting"])
    if filters.get("specialty"):
        cases = cases.filter(specialty=filters["specialty"])
    if filters.get("difficulty"):
        cases = cases.filter(difficulty=filters["difficulty"])
    if filters.get("exam"):
        cases = cases.filter(exams__slug=filters["exam"])
    if filters.get("domain"):
        cases = cases.filter(domains__slug=filters["domain"])
    best = best_scores_for(learner)
    entries = [LibraryEntry(case, best.get(case.pk)) for case in cases.distinct()]
    if filters.get("progress") == "new":
        entries = [entry for entry in entries if entry.best is None]
    elif filters.get("progress") == "retry":
        entries = [
            entry for entry in entries if entry.best is not None and entry.best < 100
        ]
    return entries


def specialties() -> list[str]:
    return sorted(set(published_cases().values_list("specialty", flat=True)))


def attempts_for(learner, case: CaseStudyPage) -> QuerySet[CaseAttempt]:
    """The learner's submitted attempts at a case, newest first."""
    return CaseAttempt.objects.filter(
        learner=learner, case=case, submitted_at__isnull=False
    ).select_related("graded_response")


def submitted_attempt_for(learner, attempt_id: int) -> CaseAttempt:
    """One of the learner's own submitted attempts, or 404 (also for others')."""
    return get_object_or_404(
        CaseAttempt.objects.select_related("case", "graded_response"),
        pk=attempt_id,
        learner=learner,
        submitted_at__isnull=False,
    )


def submitted_attempt_at(learner, attempt_id: int, case: CaseStudyPage) -> CaseAttempt:
    """One of the learner's own submitted attempts at `case`, or 404."""
    return get_object_or_404(
        CaseAttempt.objects.only("pk", "response", "submitted_at"),
        pk=attempt_id,
        learner=learner,
        case=case,
        submitted_at__isnull=False,
    )


def open_attempt_for(learner, attempt_id: int, case: CaseStudyPage) -> CaseAttempt:
    """One of the learner's own attempts at `case`, or 404."""
    return get_object_or_404(
        CaseAttempt.objects.select_related("case"),
        pk=attempt_id,
        learner=learner,
        case=case,
    )


def recent_attempts_for(learner, limit: int = 5) -> list[CaseAttempt]:
    return list(
        CaseAttempt.objects.filter(learner=learner, submitted_at__isnull=False)
        .select_related("case", "graded_response")
        .order_by("-submitted_at")[:limit]
    )


def dashboard_context(user) -> dict | None:
    """The dashboard panel: recent attempts and accuracy per exam domain, both of
    case practice alone: the panel is about cases, and mock exams and lesson
    checks have panels (and readiness) of their own, where a blend would hide
    how the learner codes a whole record."""
    if not user.is_authenticated:
        return None
    return {
        "recent": recent_attempts_for(user),
        "accuracy": domain_accuracy_for(
            user, source=GradedResponse.Source.PRACTICE_CASE
        ),
    }


def feedback_sections(result: dict, date_of_service: date | None) -> list[dict]:
    """The graded lines of an engine result grouped by claim section, in claim
    order, leaving out sections without lines (what _feedback_lines.html shows),
    each code with its description on the date of service."""
    return feedback_sections_of([(result, date_of_service)])[0]


def feedback_sections_of(
    results: list[tuple[dict, date | None]],
) -> list[list[dict]]:
    """`feedback_sections` of several results at once: one query per code system
    and release for all their codes, whatever the number of lines."""
    wanted = [
        (line["section"], code, on)
        for result, on in results
        for line in result.get("lines", [])
        for code in (line.get("given_code"), line.get("expected_code"))
        if code and on
    ]
    descriptions = code_descriptions(wanted)
    return [_sections(result, on, descriptions) for result, on in results]


def _sections(result: dict, on: date | None, descriptions: dict) -> list[dict]:
    lines = [_described(line, on, descriptions) for line in result.get("lines", [])]
    sections = [
        {
            "name": section,
            "label": label,
            "heading": SECTION_HEADINGS[section],
            "lines": [line for line in lines if line["section"] == section],
        }
        for section, label in SECTION_LABELS.items()
    ]
    return [section for section in sections if section["lines"]]


def _described(line: dict, on: date | None, descriptions: dict) -> dict:
    section = line["section"]
    differences = {difference["message"] for difference in line.get("differences", [])}
    return {
        **line,
        "given_description": descriptions.get(
            (section, line.get("given_code"), on), ""
        ),
        "expected_description": descriptions.get(
            (section, line.get("expected_code"), on), ""
        ),
        # The engine lists an invalid code's message among the differences too.
        "validator_message": ""
        if line.get("validator_message") in differences
        else line.get("validator_message", ""),
    }


def _system_of(section: str, code: str) -> CodeSystem | None:
    if section == "diagnoses":
        return CodeSystem.ICD10CM
    if section == "procedures":
        return CodeSystem.ICD10PCS
    return procedure_system(code)


def code_descriptions(
    wanted: Iterable[tuple[str, str, date]],
) -> dict[tuple[str, str, date], str]:
    """The description of each (claim section, code, date of service) in the
    release in force on that date, where the code set has the code. CPT codes are
    left out: their descriptors are the AMA's and never shown."""
    by_release: dict[Release, dict[str, list[tuple[str, str, date]]]] = {}
    releases = releases_current()
    for item in set(wanted):
        section, code, on = item
        system = _system_of(section, code)
        if system not in DESCRIBED_SYSTEMS:
            continue
        release = release_in_force(releases, system, on)
        if release is not None:
            compacted = compact(code)
            by_release.setdefault(release, {}).setdefault(compacted, []).append(item)
    found = {}
    for release, codes in by_release.items():
        for compacted, row in rows_by_code(release, codes).items():
            for item in codes[compacted]:
                found[item] = row.description
    return found


def attempt_rows_for(*, learner_ids, case_ids, started_from) -> list[dict]:
    """The attempts of those learners at those cases started at or after
    `started_from`, one dict per attempt (one query): learner_id, case_id,
    started_at, submitted_at, points and max_points (None until graded)."""
    return list(
        CaseAttempt.objects.filter(
            learner_id__in=learner_ids,
            case_id__in=case_ids,
            started_at__gte=started_from,
        )
        .order_by()
        .values(
            "learner_id",
            "case_id",
            "started_at",
            "submitted_at",
            points=F("graded_response__points"),
            max_points=F("graded_response__max_points"),
        )
    )


@dataclass(frozen=True)
class AttemptFeedback:
    attempt: CaseAttempt
    result: dict
    withheld: str
    sections: list[dict]


def submitted_attempts_with_feedback(
    *, learner, case_ids, started_from, viewer
) -> list[AttemptFeedback]:
    """The learner's submitted attempts at those cases started at or after
    `started_from`, oldest first, each with its graded result as `viewer` may
    see it (instructors see it as stored)."""
    attempts = (
        CaseAttempt.objects.filter(
            learner=learner,
            case_id__in=case_ids,
            started_at__gte=started_from,
            submitted_at__isnull=False,
        )
        .select_related("case", "learner", "graded_response")
        .order_by("submitted_at", "pk")
    )
    shown = []
    for attempt in attempts:
        result, withheld = attempt_feedback(attempt, viewer=viewer)
        shown.append((attempt, result or {}, withheld))
    sections = feedback_sections_of(
        [(result, attempt.case.date_of_service) for attempt, result, _ in shown]
    )
    return [
        AttemptFeedback(attempt, result, withheld, attempt_sections)
        for (attempt, result, withheld), attempt_sections in zip(
            shown, sections, strict=True
        )
    ]
