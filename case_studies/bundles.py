"""Case bundles: the JSON format for sharing cases between sites (see
docs/case-studies.md). Import validates every case first and creates nothing
unless all are valid; rich text is sanitised on the way in."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail import blocks as wagtail_blocks

from case_studies.blocks import DocumentationBlock
from case_studies.keys import blocks_from_key, key_errors
from case_studies.models import (
    CaseLibraryPage,
    CaseSetting,
    CaseStudyPage,
    ClaimSetting,
)
from certifications.models import Certification, Difficulty, Domain
from core.sanitize import clean_html, clean_text
from grading.engine import SchemaError, key_to_dict, parse_key

FORMAT = "coderacademy-case-bundle"
VERSION = 1

NOT_A_BUNDLE = f'Not a case bundle: "format" must be "{FORMAT}".'
BAD_VERSION = f"Unsupported bundle version: only {VERSION} is read."
NO_CASES = '"cases" must be a non-empty list.'
NO_LIBRARY = "There is no case library page to import into."
REQUIRED = "is required"
MUST_BE_TEXT = "must be text"
MUST_BE_LIST = "must be a list"
BAD_SLUG = "must be a slug (lower-case letters, digits and hyphens)"
DUPLICATE_SLUG = "is used by another case in this bundle"
SLUG_TAKEN = "is used by a page that is not a case study"
BAD_CHOICE = "must be one of {choices}"
UNKNOWN_SLUGS = "unknown: {slugs}"
BAD_MINUTES = "must be a whole number of minutes from 1 to 600"
CASE_ERROR = "Case {position} ({slug}): {field}: {message}"

CASE_FIELDS = (
    "slug",
    "title",
    "setting",
    "specialty",
    "difficulty",
    "exams",
    "domains",
    "estimated_minutes",
    "summary",
    "documentation",
    "key",
)


class BundleError(Exception):
    """An invalid bundle; `errors` names each case and field."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


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


def _validate_case(raw, slugs_seen: set[str]) -> tuple[dict, list]:
    """The cleaned case and its errors as (field, message)."""
    if not isinstance(raw, dict):
        return {}, [("case", "must be an object")]
    errors: list[tuple[str, str]] = []
    case = {name: raw.get(name) for name in CASE_FIELDS}
    for name in ("slug", "title", "setting", "specialty", "difficulty"):
        if not isinstance(case[name], str) or not case[name].strip():
            errors.append((name, REQUIRED))
    slug = case["slug"] if isinstance(case["slug"], str) else ""
    if slug and slugify(slug) != slug:
        errors.append(("slug", BAD_SLUG))
    elif slug in slugs_seen:
        errors.append(("slug", DUPLICATE_SLUG))
    slugs_seen.add(slug)
    if slug and _slug_taken_by_other_page(slug):
        errors.append(("slug", SLUG_TAKEN))
    for name, choices in (("setting", CaseSetting), ("difficulty", Difficulty)):
        if isinstance(case[name], str) and case[name] not in choices.values:
            errors.append((name, BAD_CHOICE.format(choices=", ".join(choices.values))))
    for name, model in (("exams", Certification), ("domains", Domain)):
        value = case[name] or []
        if not isinstance(value, list):
            errors.append((name, MUST_BE_LIST))
            continue
        known = set(model.objects.filter(slug__in=value).values_list("slug", flat=True))
        if unknown := [s for s in value if s not in known]:
            errors.append(
                (name, UNKNOWN_SLUGS.format(slugs=", ".join(map(str, unknown))))
            )
    minutes = case["estimated_minutes"]
    if minutes is None:
        case["estimated_minutes"] = 10
    elif (
        not isinstance(minutes, int)
        or isinstance(minutes, bool)
        or not 0 < minutes <= 600
    ):
        errors.append(("estimated_minutes", BAD_MINUTES))
    if not isinstance(case["summary"] or "", str):
        errors.append(("summary", MUST_BE_TEXT))
    errors += _validate_documentation(case)
    errors += _validate_key(case)
    for name in ("title", "specialty", "summary"):
        if isinstance(case[name], str):
            case[name] = clean_text(case[name]).strip()
    return case, errors


def _slug_taken_by_other_page(slug: str) -> bool:
    library = CaseLibraryPage.objects.first()
    if library is None:
        return False
    siblings = library.get_children().filter(slug=slug)
    return siblings.exists() and not siblings.type(CaseStudyPage).exists()


def _validate_documentation(case: dict) -> list[tuple[str, str]]:
    raw = case["documentation"]
    if not isinstance(raw, list) or not raw:
        return [("documentation", "must be a non-empty list of blocks")]
    stream_block = DocumentationBlock()
    errors = []
    for index, item in enumerate(raw):
        if (
            not isinstance(item, dict)
            or item.get("type") not in stream_block.child_blocks
        ):
            choices = ", ".join(stream_block.child_blocks)
            errors.append(
                (f"documentation[{index}].type", BAD_CHOICE.format(choices=choices))
            )
    if errors:
        return errors
    case["documentation"] = sanitise_stream(stream_block, raw)
    try:
        stream_block.clean(stream_block.to_python(case["documentation"]))
    except ValidationError as error:
        errors += _block_errors("documentation", error)
    except (TypeError, ValueError, AttributeError) as error:
        errors.append(("documentation", str(error)))
    return errors


def _block_errors(path: str, error: ValidationError) -> list[tuple[str, str]]:
    children = getattr(error, "block_errors", None)
    if children:
        found = []
        for name, child in children.items():
            child_path = (
                f"{path}[{name}]" if isinstance(name, int) else f"{path}.{name}"
            )
            found += _block_errors(child_path, child)
        return found
    return [(path, " ".join(error.messages))]


def _validate_key(case: dict) -> list[tuple[str, str]]:
    key = case["key"]
    if not isinstance(key, dict):
        return [("key", "must be an object")]
    try:
        parse_key(key)
    except SchemaError as error:
        return [(f"key.{path}", message) for path, message in error.errors]
    if key["setting"] not in ClaimSetting.values:
        return [
            ("key.setting", BAD_CHOICE.format(choices=", ".join(ClaimSetting.values)))
        ]
    errors = [(f"key.{path}", message) for path, message in key_errors(key)]
    if not errors:
        # Imported here: the content linter reads case pages itself.
        from content_checks.selectors import case_blocking_errors

        errors = [
            ("key", message)
            for message in case_blocking_errors(
                slug=case.get("slug", ""),
                key=key,
                documentation=case.get("documentation") or [],
                setting=case.get("setting", ""),
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


def bundle_validate(data) -> list[dict]:
    """The bundle's cases, cleaned, or `BundleError` naming every problem."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BundleError([NOT_A_BUNDLE])
    if data.get("version") != VERSION:
        raise BundleError([BAD_VERSION])
    raw_cases = data.get("cases")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise BundleError([NO_CASES])
    cases, errors, slugs_seen = [], [], set()
    for position, raw in enumerate(raw_cases, start=1):
        case, problems = _validate_case(raw, slugs_seen)
        slug = case.get("slug") or "no slug"
        errors += [
            CASE_ERROR.format(position=position, slug=slug, field=name, message=message)
            for name, message in problems
        ]
        cases.append(case)
    if errors:
        raise BundleError(errors)
    return cases


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
def bundle_import(data, *, user=None) -> ImportReport:
    """Create or update the bundle's cases under the case library and publish them.

    All-or-nothing: every case is validated first (`BundleError` lists each
    problem by case and field) and nothing is written unless all are valid. A
    case whose slug exists with identical content is left alone; with other
    content it gets a new published revision.
    """
    cases = bundle_validate(data)
    library = CaseLibraryPage.objects.first()
    if library is None:
        raise BundleError([NO_LIBRARY])
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
