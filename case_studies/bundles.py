"""Case bundles: the JSON format for sharing cases between sites (see
docs/case-studies.md; the format itself is case_studies.formats). Import validates
every case first and creates nothing unless all are valid; rich text is sanitised
on the way in."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail import blocks as wagtail_blocks

from case_studies.blocks import DocumentationBlock
from case_studies.formats import FORMAT, VERSION, CaseBundle
from case_studies.models import CaseLibraryPage, CaseStudyPage
from certifications.models import Certification, Domain
from core.imports import (
    ImportProblem,
    ImportRefused,
    block_errors,
    file_validate,
    parse_dotted_path,
    problems_at,
    unknown_slugs,
)
from core.sanitize import clean_html, clean_text
from grading.engine import key_to_dict, parse_key
from grading.keys import blocks_from_key, key_errors

NO_LIBRARY = "There is no case library page to import into."
DUPLICATE_SLUG = "is used by another case in this bundle"
SLUG_TAKEN = "is used by a page that is not a case study"


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def sanitise_stream(stream_block: wagtail_blocks.StreamBlock, raw: list) -> list:
    """Raw StreamField data with every rich-text value cleaned and every plain
    text stripped of markup."""
    cleaned = []
    for item in raw:
        block = stream_block.child_blocks.get(item.get("type"))
        value = item.get("value")
        cleaned.append({"type": item.get("type"), "value": _sanitise(block, value)})
    return cleaned


def _sanitise(block, value):
    if isinstance(block, wagtail_blocks.RichTextBlock) and isinstance(value, str):
        return clean_html(value)
    if isinstance(block, wagtail_blocks.StructBlock) and isinstance(value, dict):
        return {
            name: _sanitise(block.child_blocks.get(name), child)
            for name, child in value.items()
        }
    if isinstance(value, str):
        return clean_text(value)
    return value


def bundle_validate(data, *, file: str = "bundle") -> list[dict]:
    """The bundle's cases, cleaned, or `ImportRefused` naming every problem: the
    format's (case_studies.formats) first, then the coding rules."""
    bundle = file_validate(CaseBundle, data, file=file)
    library = CaseLibraryPage.objects.first()
    known = {
        "exams": set(Certification.objects.values_list("slug", flat=True)),
        "domains": set(Domain.objects.values_list("slug", flat=True)),
    }
    cases, problems, slugs_seen = [], [], set()
    for index, model in enumerate(bundle.cases):
        case = model.model_dump()
        errors = _case_errors(case, library, known, slugs_seen)
        problems += problems_at(
            file, data, ((("cases", index, *loc), message) for loc, message in errors)
        )
        cases.append(case)
    if problems:
        raise ImportRefused(problems)
    return cases


def _case_errors(case: dict, library, known: dict, slugs_seen: set) -> list:
    """The case's problems as (location, message); cleans the case in place."""
    errors = []
    slug = case["slug"]
    if slug in slugs_seen:
        errors.append((("slug",), DUPLICATE_SLUG))
    slugs_seen.add(slug)
    if _slug_taken_by_other_page(library, slug):
        errors.append((("slug",), SLUG_TAKEN))
    for name, slugs in known.items():
        if message := unknown_slugs(case[name], slugs):
            errors.append(((name,), message))
    for name in ("title", "specialty", "summary"):
        case[name] = clean_text(case[name]).strip()
    errors += _documentation_errors(case)
    errors += _key_errors(case)
    return errors


def _slug_taken_by_other_page(library, slug: str) -> bool:
    if library is None:
        return False
    siblings = library.get_children().filter(slug=slug)
    return siblings.exists() and not siblings.type(CaseStudyPage).exists()


def _documentation_errors(case: dict) -> list:
    stream_block = DocumentationBlock()
    case["documentation"] = sanitise_stream(stream_block, case["documentation"])
    try:
        stream_block.clean(stream_block.to_python(case["documentation"]))
    except ValidationError as error:
        return block_errors(error, ("documentation",))
    return []


def _key_errors(case: dict) -> list:
    key = case["key"]
    errors = [
        (("key", *parse_dotted_path(problem.place)), problem.message)
        for problem in key_errors(key)
    ]
    if not errors:
        # Imported here: the content linter reads case pages itself.
        from content_checks.selectors import case_blocking_errors

        errors = [
            (("key",), message)
            for message in case_blocking_errors(
                slug=case["slug"],
                key=key,
                documentation=case["documentation"],
                setting=case["setting"],
            )
        ]
    if not errors:
        case["key"] = key_to_dict(parse_key(_sanitised_key(key)))
    return errors


def _sanitised_key(key: dict) -> dict:
    def line(item: dict) -> dict:
        cleaned = dict(item)
        for name in ("rationale", "reference"):
            if isinstance(item.get(name), str):
                cleaned[name] = clean_text(item[name])
        cleaned["common_errors"] = [
            {**error, "explanation": clean_text(error.get("explanation", ""))}
            for error in item.get("common_errors", [])
        ]
        return cleaned

    return {
        **key,
        **{
            section: [line(item) for item in key.get(section, [])]
            for section in ("diagnoses", "procedures", "service_lines")
        },
    }


def case_without_key(page: CaseStudyPage) -> dict:
    """One case in bundle form without its key: what learners may see."""
    return {
        "slug": page.slug,
        "title": page.title,
        "setting": page.setting,
        "specialty": page.specialty,
        "difficulty": page.difficulty,
        "exams": sorted(page.exams.values_list("slug", flat=True)),
        "domains": sorted(page.domains.values_list("slug", flat=True)),
        "estimated_minutes": page.estimated_minutes,
        "summary": page.summary,
        "documentation": [
            {"type": item["type"], "value": item["value"]}
            for item in page.documentation.get_prep_value()
        ],
    }


def case_to_dict(page: CaseStudyPage) -> dict:
    """One case in bundle form, key included."""
    return {**case_without_key(page), "key": key_to_dict(parse_key(page.key_data))}


def bundle_export(pages) -> dict:
    """A bundle of `pages` (their latest published content)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "cases": [case_to_dict(page) for page in pages],
    }


def _comparable(case: dict) -> dict:
    return {
        **case,
        "exams": sorted(case["exams"] or []),
        "domains": sorted(case["domains"] or []),
    }


@transaction.atomic
def bundle_import(data, *, file: str = "bundle", user=None) -> ImportReport:
    """Create or update the bundle's cases under the case library and publish them.

    All-or-nothing: every case is validated first (`ImportRefused` lists each
    problem of `file` by case and field) and nothing is written unless all are
    valid. A
    case whose slug exists with identical content is left alone; with other
    content it gets a new published revision.
    """
    library = CaseLibraryPage.objects.first()
    if library is None:
        raise ImportRefused([ImportProblem(file, "", NO_LIBRARY)])
    cases = bundle_validate(data, file=file)
    report = ImportReport()
    existing = {
        page.slug: page
        for page in CaseStudyPage.objects.child_of(library).filter(
            slug__in=[case["slug"] for case in cases]
        )
    }
    for case in cases:
        page = existing.get(case["slug"])
        if page is not None and _comparable(case_to_dict(page)) == _comparable(case):
            report.unchanged.append(case["slug"])
            continue
        if page is None:
            page = CaseStudyPage(slug=case["slug"])
            _fill(page, case)
            library.add_child(instance=page)
            report.created.append(case["slug"])
        else:
            _fill(page, case)
            report.updated.append(case["slug"])
        page.exams.set(Certification.objects.filter(slug__in=case["exams"] or []))
        page.domains.set(Domain.objects.filter(slug__in=case["domains"] or []))
        # The import is the command line's authority; its user is recorded, not
        # checked.
        page.save_revision(user=user, log_action=True).publish(
            user=user, skip_permission_checks=True
        )
    return report


def _fill(page: CaseStudyPage, case: dict) -> None:
    key = case["key"]
    page.title = case["title"]
    page.setting = case["setting"]
    page.specialty = case["specialty"]
    page.difficulty = case["difficulty"]
    page.estimated_minutes = case["estimated_minutes"]
    page.summary = case["summary"] or ""
    page.documentation = case["documentation"]
    page.claim_setting = key["setting"]
    page.date_of_service = parse_key(key).date_of_service
    page.answer_key = blocks_from_key(key)
    page.key_weights = key.get("weights", {})
