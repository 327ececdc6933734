"""The case bundle format (`coderacademy-case-bundle`, version 1; docs/case-studies.md,
schema in docs/formats/case-bundle.schema.json).

The models describe the file's structure. What needs the database or the code sets
(exam and domain slugs, the key's codes on its date of service, the content linter)
is checked by `case_studies.bundles`; the key's own structure by the grading
engine's `parse_key`, its one home.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from case_studies.models import CaseSetting
from certifications.models import Difficulty
from core.imports import FileFormat, Slug, Text, one_of

FORMAT = "coderacademy-case-bundle"
VERSION = 1

RichText = Annotated[str, Field(description="HTML, reduced to core.sanitize's list")]
IsoDate = Annotated[str | None, Field(description="YYYY-MM-DD")]
CaseSettingName = one_of(CaseSetting.values)
DifficultyName = one_of(Difficulty.values)


class EncounterNote(FileFormat):
    title: Text = "Encounter note"
    chief_complaint: Text
    hpi: RichText
    ros: RichText = ""
    exam: RichText = ""
    assessment_plan: RichText


class OperativeReport(FileFormat):
    title: Text = "Operative report"
    preoperative_diagnosis: Text
    postoperative_diagnosis: Text
    procedure: Text
    anesthesia: str = ""
    findings: RichText = ""
    description: RichText


class DischargeSummary(FileFormat):
    title: Text = "Discharge summary"
    admission_date: IsoDate = None
    discharge_date: IsoDate = None
    admitting_diagnosis: str = ""
    hospital_course: RichText
    procedures: RichText = ""
    discharge_diagnoses: RichText = ""
    disposition: str = ""


class Report(FileFormat):
    kind: Literal["laboratory", "pathology", "radiology"]
    title: Text
    body: RichText


class EncounterNoteBlock(FileFormat):
    type: Literal["encounter_note"]
    value: EncounterNote


class OperativeReportBlock(FileFormat):
    type: Literal["operative_report"]
    value: OperativeReport


class DischargeSummaryBlock(FileFormat):
    type: Literal["discharge_summary"]
    value: DischargeSummary


class ReportBlock(FileFormat):
    type: Literal["report"]
    value: Report


class TextBlock(FileFormat):
    type: Literal["text"]
    value: RichText


DocumentationItem = Annotated[
    EncounterNoteBlock
    | OperativeReportBlock
    | DischargeSummaryBlock
    | ReportBlock
    | TextBlock,
    Field(discriminator="type"),
]


class Case(FileFormat):
    slug: Slug
    title: Text
    setting: CaseSettingName
    specialty: Text
    difficulty: DifficultyName
    exams: list[str] = Field(default=[], description="Certification slugs")
    domains: list[str] = Field(default=[], description="Exam domain slugs")
    estimated_minutes: Annotated[int, Field(ge=1, le=600)] = 10
    summary: str = ""
    documentation: Annotated[list[DocumentationItem], Field(min_length=1)]
    key: dict[str, Any] = Field(
        description=(
            "The grading engine's answer key JSON (docs/grading.md), validated by "
            "grading.engine.parse_key; its date_of_service becomes the case's."
        )
    )


class CaseBundle(FileFormat):
    """Cases shared between sites, answer keys included."""

    format: Literal[FORMAT]
    version: Literal[VERSION]
    cases: Annotated[list[Case], Field(min_length=1)]


SCHEMAS = {"case-bundle": CaseBundle}
