"""Import courses from the `coderacademy-course` JSON format (docs/courses.md).

Import is idempotent: pages are found by slug under their parent, updated and
republished only when their content changed, and created (published) when new.
Pages that the file no longer lists are left alone, so instructors' own additions
survive. Rich text goes through the one sanitiser, core.sanitize.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page

from certifications.models import Certification, Domain
from core.models import HomePage
from core.sanitize import clean_html
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

FORMAT = "coderacademy-course"
VERSION = 1
NOT_A_COURSE = "not a {format} file of version {version}"
UNKNOWN_CERTIFICATION = "unknown certification {slug!r}"
UNKNOWN_DOMAINS = "lesson {lesson!r}: unknown domains {slugs}"
UNKNOWN_BLOCK = "lesson {lesson!r}: unknown block type {type!r}"
BAD_FIELD = "{where}: {field} is missing or invalid"
INVALID_BODY = "lesson {lesson!r}: {errors}"
INVALID_PAGE = "page {slug!r}: {errors}"
MISSING_CASE = "lesson {lesson!r}: no case {slug!r} yet, link left out"


class CourseFormatError(ValueError):
    """A course file that cannot be imported; the message says where and why."""


@dataclass
class ImportReport:
    title: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


def _plain(html: str, limit: int) -> str:
    return Truncator(" ".join(strip_tags(html).split())).chars(limit)


def _require(data: dict, name: str, kind: type, where: str):
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise CourseFormatError(BAD_FIELD.format(where=where, field=name))
    return value


def _without_ids(data):
    """Stream data without the generated block ids, for comparing content."""
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    if isinstance(data, dict):
        return {
            key: _without_ids(value)
            for key, value in data.items()
            if not (key == "id" and "type" in data)
        }
    return data


def _case_page_id(slug: str) -> int | None:
    page = (
        Page.objects.live()
        .filter(slug=slug, content_type__app_label="case_studies")
        .first()
    )
    return page.pk if page else None


def _block(item: dict, lesson: str, report: ImportReport) -> dict | None:
    kind, value = item.get("type"), item.get("value")
    where = f"lesson {lesson!r}, {kind} block"
    if not isinstance(value, dict) and kind != "rich_text":
        raise CourseFormatError(BAD_FIELD.format(where=where, field="value"))
    if kind == "rich_text":
        return {"type": kind, "value": clean_html(value)}
    if kind == "callout":
        return {
            "type": kind,
            "value": {
                "kind": value.get("kind"),
                "title": value.get("title", ""),
                "body": clean_html(value.get("body")),
            },
        }
    if kind == "coding_example":
        return {
            "type": kind,
            "value": {
                "documentation": clean_html(value.get("documentation")),
                "codes": [
                    {
                        "system": code.get("system"),
                        "code": code.get("code"),
                        "note": code.get("note", ""),
                    }
                    for code in _require(value, "codes", list, where)
                ],
                "explanation": clean_html(value.get("explanation")),
            },
        }
    if kind == "table":
        return {
            "type": kind,
            "value": {
                "caption": value.get("caption", ""),
                "header": [
                    str(cell) for cell in _require(value, "header", list, where)
                ],
                "rows": [
                    [str(cell) for cell in row]
                    for row in _require(value, "rows", list, where)
                ],
            },
        }
    if kind == "case_link":
        slug = _require(value, "case_slug", str, where)
        page_id = _case_page_id(slug)
        if page_id is None:
            report.warnings.append(MISSING_CASE.format(lesson=lesson, slug=slug))
            return None
        return {"type": kind, "value": {"case": page_id, "text": value.get("text", "")}}
    if kind == "knowledge_check":
        return {
            "type": kind,
            "value": {
                "check_id": value.get("id"),
                "kind": value.get("kind"),
                "prompt": clean_html(value.get("prompt")),
                "options": [
                    {
                        "option_id": option.get("id"),
                        "text": option.get("text"),
                        "correct": bool(option.get("correct")),
                        "feedback": option.get("feedback", ""),
                    }
                    for option in _require(value, "options", list, where)
                ],
                "explanation": clean_html(value.get("explanation")),
            },
        }
    if kind == "code_entry_check":
        return {
            "type": kind,
            "value": {
                "check_id": value.get("id"),
                "prompt": clean_html(value.get("prompt")),
                "documentation": clean_html(value.get("documentation")),
                "key": _require(value, "key", dict, where),
            },
        }
    raise CourseFormatError(UNKNOWN_BLOCK.format(lesson=lesson, type=kind))


def _flatten(data, path: str = "") -> list[str]:
    """Readable messages out of a block validation error's JSON data."""
    messages = []
    if isinstance(data, dict):
        for message in data.get("messages", []):
            messages.append(f"{path}: {message}" if path else message)
        for key, child in data.get("blockErrors", {}).items():
            messages += _flatten(child, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        messages += [f"{path}: {item}" for item in data]
    return messages


def _lesson_body(raw: list, lesson: str, report: ImportReport) -> list:
    blocks = [b for b in (_block(item, lesson, report) for item in raw) if b]
    stream_block = LessonPage.body.field.stream_block
    try:
        value = stream_block.clean(stream_block.to_python(blocks))
    except ValidationError as error:
        data = error.as_json_data() if hasattr(error, "as_json_data") else None
        details = "; ".join(_flatten(data)) if data else "; ".join(error.messages)
        raise CourseFormatError(
            INVALID_BODY.format(lesson=lesson, errors=details)
        ) from None
    except (KeyError, TypeError, ValueError) as error:
        raise CourseFormatError(
            INVALID_BODY.format(lesson=lesson, errors=f"malformed block ({error})")
        ) from None
    return stream_block.get_prep_value(value)


def _publish(page, *, user) -> None:
    # The import is the command line's authority; its user is recorded, not checked.
    page.save_revision(user=user, log_action=True).publish(
        user=user, skip_permission_checks=True
    )


def _save(
    parent: Page, page_class, slug: str, values: dict, report: ImportReport, user
):
    """Create or update the child `slug` of `parent`; publish when changed."""
    streams = {
        k: v for k, v in values.items() if isinstance(v, list) and k != "domains"
    }
    page = page_class.objects.child_of(parent).filter(slug=slug).first()
    try:
        if page is None:
            page = page_class(slug=slug)
            for name, value in values.items():
                setattr(page, name, value)
            parent.add_child(instance=page)
            _publish(page, user=user)
            report.created += 1
            return page
        return _update(page, values, streams, report, user)
    except ValidationError as error:
        raise CourseFormatError(
            INVALID_PAGE.format(slug=slug, errors="; ".join(error.messages))
        ) from None


def _update(page, values: dict, streams: dict, report: ImportReport, user):
    changed = False
    for name, value in values.items():
        if name == "domains":
            current = {domain.pk for domain in page.domains.all()}
            if current != {domain.pk for domain in value}:
                changed = True
        elif name in streams:
            if _without_ids(list(getattr(page, name).raw_data)) != _without_ids(value):
                changed = True
        elif getattr(page, name) != value:
            changed = True
    if not changed and page.live and not page.has_unpublished_changes:
        report.unchanged += 1
        return page
    for name, value in values.items():
        setattr(page, name, value)
    _publish(page, user=user)
    report.updated += 1
    return page


def course_index_page(*, user=None) -> CourseIndexPage:
    """The course index, created under the home page if it is missing."""
    index = CourseIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first()
        index = CourseIndexPage(title="Courses", slug="courses")
        home.add_child(instance=index)
        _publish(index, user=user)
    return index


@transaction.atomic
def course_import(*, data: dict, user=None) -> ImportReport:
    """Create or update one course from its decoded JSON, its revisions and log
    entries by `user`; raises `CourseFormatError` (storing nothing) when the file
    breaks the format."""
    if not isinstance(data, dict) or (
        data.get("format"),
        data.get("version"),
    ) != (FORMAT, VERSION):
        raise CourseFormatError(NOT_A_COURSE.format(format=FORMAT, version=VERSION))
    report = ImportReport(title=_require(data, "title", str, "course"))
    slug = _require(data, "slug", str, "course")
    certification_slug = data.get("certification")
    certification = Certification.objects.filter(slug=certification_slug).first()
    if certification is None:
        raise CourseFormatError(UNKNOWN_CERTIFICATION.format(slug=certification_slug))
    overview = clean_html(_require(data, "overview", str, "course"))
    course = _save(
        course_index_page(user=user),
        CoursePage,
        slug,
        {
            "title": report.title,
            "certification": certification,
            "summary": _plain(overview, 300),
            "overview": overview,
            "prerequisites": clean_html(data.get("prerequisites", "")),
            "learning_outcomes": [
                {"type": "outcome", "value": str(outcome)}
                for outcome in data.get("learning_outcomes", [])
            ],
            "estimated_hours": int(data.get("estimated_hours") or 1),
        },
        report,
        user,
    )
    domains = {domain.slug: domain for domain in Domain.objects.all()}
    for module_data in _require(data, "modules", list, "course"):
        where = f"module {module_data.get('slug')!r}"
        module = _save(
            course,
            ModulePage,
            _require(module_data, "slug", str, where),
            {
                "title": _require(module_data, "title", str, where),
                "summary": _plain(module_data.get("summary", ""), 300),
            },
            report,
            user,
        )
        for lesson_data in _require(module_data, "lessons", list, where):
            _lesson_save(module, lesson_data, domains, report, user)
    return report


def _lesson_save(module, data: dict, domains: dict, report: ImportReport, user) -> None:
    slug = _require(data, "slug", str, "lesson")
    where = f"lesson {slug!r}"
    slugs = data.get("domains", [])
    unknown = sorted(set(slugs) - set(domains))
    if unknown:
        raise CourseFormatError(UNKNOWN_DOMAINS.format(lesson=slug, slugs=unknown))
    _save(
        module,
        LessonPage,
        slug,
        {
            "title": _require(data, "title", str, where),
            "summary": _plain(data.get("summary", ""), 300),
            "estimated_minutes": int(data.get("estimated_minutes") or 15),
            "difficulty": data.get("difficulty") or "beginner",
            "domains": [domains[s] for s in slugs],
            "body": _lesson_body(_require(data, "body", list, where), slug, report),
        },
        report,
        user,
    )
