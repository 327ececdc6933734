"""StreamField blocks of a case: the clinical documentation learners read, and the
answer key lines instructors write (never rendered to learners)."""

from django import forms
from wagtail import blocks

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul"]
CODES_HELP = "Separate several with commas."


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


class CommonErrorBlock(blocks.StructBlock):
    """A known wrong answer and why it is wrong."""

    code = blocks.CharBlock()
    explanation = blocks.TextBlock()

    class Meta:
        icon = "warning"


class ModifierAlternativeBlock(blocks.StructBlock):
    """Another set of modifiers accepted on a service line, and why."""

    modifiers = blocks.CharBlock(
        required=False,
        help_text=f"The accepted set, e.g. 59 where the key has XS. {CODES_HELP}",
    )
    reason = blocks.TextBlock(
        help_text="Why it is accepted, shown to a learner who gives it, e.g. the "
        "payer accepts 59 where no X modifier applies."
    )

    class Meta:
        icon = "tick-inverse"


class CodeBlock(blocks.FieldBlock):
    """A code input that the admin's key editor completes and checks as the
    instructor types, against the code set in force on the case's date."""

    def __init__(self, system: str, **kwargs):
        self.field = forms.CharField(
            max_length=16,
            help_text="The expected code.",
            widget=forms.TextInput(
                attrs={
                    "data-code-system": system,
                    "data-code-check": "",
                    "autocomplete": "off",
                }
            ),
        )
        super().__init__(**kwargs)


class KeyLineBlock(blocks.StructBlock):
    """One expected line of the answer key."""

    alternatives = blocks.CharBlock(
        required=False, help_text=f"Equally correct codes. {CODES_HELP}"
    )
    optional = blocks.BooleanBlock(
        required=False, help_text="Accepted but not required."
    )
    common_errors = blocks.ListBlock(CommonErrorBlock(), default=[])
    rationale = blocks.TextBlock(help_text="Why this code, in our own words.")
    reference = blocks.CharBlock(
        required=False, help_text="Guideline or manual section, e.g. I.C.4.a."
    )

    class Meta:
        icon = "tick"
        form_classname = "case-key-line"


class DiagnosisLineBlock(KeyLineBlock):
    """An ICD-10-CM line; the first is the principal or first-listed diagnosis."""

    code = CodeBlock("icd10cm")
    poa = blocks.ChoiceBlock(
        choices=[
            ("Y", "Y: present on admission"),
            ("N", "N: not present on admission"),
            ("U", "U: documentation insufficient"),
            ("W", "W: clinically undetermined"),
            ("1", "1: exempt from POA reporting"),
        ],
        required=False,
        help_text="Inpatient only: the present-on-admission indicator the learner "
        "must give (ICD-10-CM Official Guidelines, Appendix I). Leave blank to not "
        "grade it.",
    )

    class Meta:
        label = "Diagnosis (ICD-10-CM)"


class ProcedureLineBlock(KeyLineBlock):
    """An ICD-10-PCS line (inpatient); the first is the principal procedure."""

    code = CodeBlock("icd10pcs")

    class Meta:
        label = "Procedure (ICD-10-PCS)"


class ServiceLineBlock(KeyLineBlock):
    """A CPT or HCPCS Level II service line with modifiers, units and pointers."""

    code = CodeBlock("cpt")

    modifiers = blocks.CharBlock(required=False, help_text=f"Up to 4. {CODES_HELP}")
    modifier_alternatives = blocks.ListBlock(
        ModifierAlternativeBlock(), default=[], label="Modifier alternatives"
    )
    units = blocks.IntegerBlock(default=1, min_value=1, max_value=9999)
    pointers = blocks.CharBlock(
        required=False,
        help_text="Diagnosis numbers (1 = first diagnosis line), up to 4. "
        + CODES_HELP,
    )

    class Meta:
        label = "Service line (CPT/HCPCS)"


class AnswerKeyBlock(blocks.StreamBlock):
    """The answer key: diagnosis, procedure and service lines; order matters within
    each kind (the first diagnosis and procedure are principal)."""

    diagnosis = DiagnosisLineBlock()
    procedure = ProcedureLineBlock()
    service_line = ServiceLineBlock()
