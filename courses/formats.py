"""The course format (`coderacademy-course`, version 1; docs/courses.md, schema in
docs/formats/course.schema.json): a course, its modules and their lessons.

The models describe the file's structure; a lesson's blocks are then checked by
the lesson body's own blocks (courses.blocks), as the admin checks them, and a
code-entry check's key by the grading engine's `parse_key` through them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from certifications.models import Difficulty
from codeformats import CodeSystem
from core.imports import FileFormat, Slug, Text, one_of

FORMAT = "coderacademy-course"
VERSION = 1

RichText = Annotated[str, Field(description="HTML, reduced to core.sanitize's list")]
DifficultyName = one_of(Difficulty.values)
CodeSystemName = one_of([system.value for system in CodeSystem])


class Callout(FileFormat):
    kind: Literal["guideline", "tip", "warning"]
    title: str = ""
    body: RichText


class ExampleCode(FileFormat):
    system: CodeSystemName
    code: Text
    note: str = Field(default="", description="Why this code")


class CodingExample(FileFormat):
    documentation: RichText
    codes: list[ExampleCode]
    explanation: RichText = ""


class Table(FileFormat):
    caption: str = ""
    header: list[str]
    rows: list[list[str]]


class CaseLink(FileFormat):
    case_slug: str = Field(
        description="A case study's slug; left out with a warning until it exists"
    )
    text: str = Field(default="", description="Link text; the case title if blank")


class CheckOption(FileFormat):
    id: Text
    text: Text
    correct: bool = False
    feedback: str = Field(default="", description="Shown after the learner answers")


class KnowledgeCheck(FileFormat):
    id: Text
    kind: Literal["single", "multiple"]
    prompt: RichText
    options: list[CheckOption]
    explanation: RichText = ""


class CodeEntryCheck(FileFormat):
    id: Text
    prompt: RichText
    documentation: RichText = ""
    key: dict[str, Any] = Field(
        description=(
            "The grading engine's answer key JSON (docs/grading.md), validated by "
            "grading.engine.parse_key"
        )
    )


class RichTextBlock(FileFormat):
    type: Literal["rich_text"]
    value: RichText


class CalloutBlock(FileFormat):
    type: Literal["callout"]
    value: Callout


class CodingExampleBlock(FileFormat):
    type: Literal["coding_example"]
    value: CodingExample


class TableBlock(FileFormat):
    type: Literal["table"]
    value: Table


class CaseLinkBlock(FileFormat):
    type: Literal["case_link"]
    value: CaseLink


class KnowledgeCheckBlock(FileFormat):
    type: Literal["knowledge_check"]
    value: KnowledgeCheck


class CodeEntryCheckBlock(FileFormat):
    type: Literal["code_entry_check"]
    value: CodeEntryCheck


LessonBlock = Annotated[
    RichTextBlock
    | CalloutBlock
    | CodingExampleBlock
    | TableBlock
    | CaseLinkBlock
    | KnowledgeCheckBlock
    | CodeEntryCheckBlock,
    Field(discriminator="type"),
]


class Lesson(FileFormat):
    slug: Slug
    title: Text
    summary: str = ""
    estimated_minutes: Annotated[int, Field(gt=0)] = 15
    difficulty: DifficultyName = "beginner"
    domains: list[str] = Field(default=[], description="Exam domain slugs")
    body: list[LessonBlock]


class Module(FileFormat):
    slug: Slug
    title: Text
    summary: str = ""
    lessons: list[Lesson]


class Course(FileFormat):
    """A course with its modules and lessons, found again by slug on re-import."""

    format: Literal[FORMAT]
    version: Literal[VERSION]
    slug: Slug
    title: Text
    certification: str = Field(description="Certification slug")
    overview: Annotated[RichText, Field(min_length=1)]
    prerequisites: RichText = ""
    learning_outcomes: list[str] = []
    estimated_hours: Annotated[int, Field(gt=0)] = 1
    modules: list[Module]


SCHEMAS = {"course": Course}
