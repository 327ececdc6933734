"""StreamField blocks of a case's clinical documentation, which learners read. The
answer key's lines are the key editor's blocks (grading.key_blocks)."""

from wagtail import blocks

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul"]


def rich_text(label: str, required: bool = True) -> blocks.RichTextBlock:
    return blocks.RichTextBlock(
        label=label, required=required, features=RICH_TEXT_FEATURES
    )


class EncounterNoteBlock(blocks.StructBlock):
    """An office, clinic or emergency department note in SOAP-like sections."""

    title = blocks.CharBlock(default="Encounter note")
    chief_complaint = blocks.CharBlock(help_text="In the patient's words.")
    hpi = rich_text("History of present illness")
    ros = rich_text("Review of systems", required=False)
    exam = rich_text("Physical examination", required=False)
    assessment_plan = rich_text("Assessment and plan")

    class Meta:
        icon = "doc-full"
        template = "case_studies/blocks/encounter_note.html"
        description = "Chief complaint, HPI, ROS, exam, assessment and plan"


class OperativeReportBlock(blocks.StructBlock):
    """A surgeon's operative report."""

    title = blocks.CharBlock(default="Operative report")
    preoperative_diagnosis = blocks.CharBlock()
    postoperative_diagnosis = blocks.CharBlock()
    procedure = blocks.CharBlock(help_text="The procedure as the surgeon names it.")
    anesthesia = blocks.CharBlock(required=False)
    findings = rich_text("Findings", required=False)
    description = rich_text("Description of the procedure")

    class Meta:
        icon = "doc-full-inverse"
        template = "case_studies/blocks/operative_report.html"
        description = "Pre/post-operative diagnosis, procedure, anesthesia, findings"


class DischargeSummaryBlock(blocks.StructBlock):
    """An inpatient discharge summary."""

    title = blocks.CharBlock(default="Discharge summary")
    admission_date = blocks.DateBlock(required=False)
    discharge_date = blocks.DateBlock(required=False)
    admitting_diagnosis = blocks.CharBlock(required=False)
    hospital_course = rich_text("Hospital course")
    procedures = rich_text("Procedures", required=False)
    discharge_diagnoses = rich_text("Discharge diagnoses", required=False)
    disposition = blocks.CharBlock(required=False)

    class Meta:
        icon = "list-ul"
        template = "case_studies/blocks/discharge_summary.html"
        description = "Admission, hospital course, procedures, discharge diagnoses"


class ReportBlock(blocks.StructBlock):
    """A laboratory, pathology or radiology report."""

    kind = blocks.ChoiceBlock(
        choices=[
            ("laboratory", "Laboratory"),
            ("pathology", "Pathology"),
            ("radiology", "Radiology"),
        ]
    )
    title = blocks.CharBlock()
    body = rich_text("Report")

    class Meta:
        icon = "clipboard-list"
        template = "case_studies/blocks/report.html"
        description = "Laboratory, pathology or radiology report"


class DocumentationBlock(blocks.StreamBlock):
    """The record a learner codes from, in reading order."""

    encounter_note = EncounterNoteBlock()
    operative_report = OperativeReportBlock()
    discharge_summary = DischargeSummaryBlock()
    report = ReportBlock()
    text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        template="case_studies/blocks/text.html",
        icon="pilcrow",
    )
