"""Import courses from the `coderacademy-course` JSON format (docs/courses.md).

Import is idempotent: pages are found by slug under their parent, updated and
republished only when their content changed, and created (published) when new.
Pages that the file no longer lists are left alone, so instructors' own additions
survive. Rich text goes through the one sanitiser, core.sanitize. The format itself
is courses.formats.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Page

from certifications.models import Certification, Domain
from core.imports import (
    ImportProblem,
    ImportRefused,
    block_errors,
    file_validate,
    human_path,
    problems_at,
    unknown_slugs,
)
from core.models import HomePage
from core.sanitize import clean_html
from courses.formats import Course, Lesson
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from courses.text import plain_excerpt

MISSING_CASE = "lesson {lesson!r}: no case {slug!r} yet, link left out"
# The lesson blocks' field names that the file spells differently.
FILE_NAMES = {"check_id": "id", "option_id": "id", "case": "case_slug"}


@dataclass
class ImportReport:
    title: str = ""
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Run:
    """One file's import: where problems are reported, and its author."""

    file: str
    data: dict
    user: object
    report: ImportReport

    def refused(self, loc: tuple, error: ValidationError) -> ImportRefused:
        path = human_path(loc, self.data)
        return ImportRefused(
            ImportProblem(self.file, path, message) for message in error.messages
        )


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


def _block(kind: str, value, lesson: str, report: ImportReport) -> dict | None:
    """A file block as the lesson body's raw data; None for a case link whose
    case is not there yet."""
    if kind == "rich_text":
        return {"type": kind, "value": clean_html(value)}
    if kind == "callout":
        return {"type": kind, "value": {**value, "body": clean_html(value["body"])}}
    if kind == "coding_example":
        return {
            "type": kind,
            "value": {
                "documentation": clean_html(value["documentation"]),
                "codes": value["codes"],
                "explanation": clean_html(value["explanation"]),
            },
        }
    if kind == "case_link":
        page_id = _case_page_id(value["case_slug"])
        if page_id is None:
            report.warnings.append(
                MISSING_CASE.format(lesson=lesson, slug=value["case_slug"])
            )
            return None
        return {"type": kind, "value": {"case": page_id, "text": value["text"]}}
    if kind == "knowledge_check":
        return {
            "type": kind,
            "value": {
                "check_id": value["id"],
                "kind": value["kind"],
                "prompt": clean_html(value["prompt"]),
                "options": [
                    {
                        "option_id": option["id"],
                        "text": option["text"],
                        "correct": option["correct"],
                        "feedback": option["feedback"],
                    }
                    for option in value["options"]
                ],
                "explanation": clean_html(value["explanation"]),
            },
        }
    if kind == "code_entry_check":
        return {
            "type": kind,
            "value": {
                "check_id": value["id"],
                "prompt": clean_html(value["prompt"]),
                "documentation": clean_html(value["documentation"]),
                "key": value["key"],
            },
        }
    return {"type": kind, "value": value}


def _lesson_body(lesson: Lesson, report: ImportReport) -> tuple[list, list]:
    """The lesson's body as stream data, and its blocks' problems as (location
    under the body, message), checked as the admin checks them."""
    blocks, positions = [], []
    for position, item in enumerate(lesson.model_dump()["body"]):
        block = _block(item["type"], item["value"], lesson.slug, report)
        if block is not None:
            blocks.append(block)
            positions.append(position)
    stream_block = LessonPage.body.field.stream_block
    try:
        value = stream_block.clean(stream_block.to_python(blocks))
    except ValidationError as error:
        found = block_errors(error, (), names=FILE_NAMES)
        return [], [
            ((positions[loc[0]], *loc[1:]) if loc else (), message)
            for loc, message in found
        ]
    return stream_block.get_prep_value(value), []


def _publish(page, *, user) -> None:
    # The import is the command line's authority; its user is recorded, not checked.
    page.save_revision(user=user, log_action=True).publish(
        user=user, skip_permission_checks=True
    )


def _save(parent: Page, page_class, slug: str, values: dict, run: _Run, at: tuple):
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
            _publish(page, user=run.user)
            run.report.created += 1
            return page
        return _update(page, values, streams, run.report, run.user)
    except ValidationError as error:
        raise run.refused(at, error) from None


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
def course_import(*, data, file: str = "course", user=None) -> ImportReport:
    """Create or update one course from its decoded JSON, its revisions and log
    entries by `user`. All or nothing: `ImportRefused` names every problem of
    `file` (its format, courses.formats, then unknown slugs and each lesson's
    blocks) and nothing is stored."""
    course = file_validate(Course, data, file=file)
    run = _Run(file, data, user, ImportReport(title=course.title))
    certification = Certification.objects.filter(slug=course.certification).first()
    domains = {domain.slug: domain for domain in Domain.objects.all()}
    errors, bodies = [], {}
    if certification is None:
        errors.append((("certification",), unknown_slugs([course.certification], ())))
    for m, module in enumerate(course.modules):
        for n, lesson in enumerate(module.lessons):
            at = ("modules", m, "lessons", n)
            if message := unknown_slugs(lesson.domains, domains):
                errors.append(((*at, "domains"), message))
            bodies[m, n], body_errors = _lesson_body(lesson, run.report)
            errors += [((*at, "body", *loc), message) for loc, message in body_errors]
    if errors:
        raise ImportRefused(problems_at(file, data, errors))
    overview = clean_html(course.overview)
    course_page = _save(
        course_index_page(user=user),
        CoursePage,
        course.slug,
        {
            "title": course.title,
            "certification": certification,
            "summary": plain_excerpt(overview, 300),
            "overview": overview,
            "prerequisites": clean_html(course.prerequisites),
            "learning_outcomes": [
                {"type": "outcome", "value": outcome}
                for outcome in course.learning_outcomes
            ],
            "estimated_hours": course.estimated_hours,
        },
        run,
        (),
    )
    for m, module in enumerate(course.modules):
        module_page = _save(
            course_page,
            ModulePage,
            module.slug,
            {"title": module.title, "summary": plain_excerpt(module.summary, 300)},
            run,
            ("modules", m),
        )
        for n, lesson in enumerate(module.lessons):
            _save(
                module_page,
                LessonPage,
                lesson.slug,
                {
                    "title": lesson.title,
                    "summary": plain_excerpt(lesson.summary, 300),
                    "estimated_minutes": lesson.estimated_minutes,
                    "difficulty": lesson.difficulty,
                    "domains": [domains[slug] for slug in lesson.domains],
                    "body": bodies[m, n],
                },
                run,
                ("modules", m, "lessons", n),
            )
    return run.report
