"""The blocks instructors build lessons from.

Knowledge checks carry their answers (`correct`, `feedback`, answer keys) in the
stored stream, so their templates render only the question, and they add nothing
to the search index: a learner sees an answer only after submitting to the server.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from codeformats import SYSTEM_LABELS, CodeSystem
from grading.key_blocks import AnswerKeyBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "code"]

DUPLICATE_OPTION_ID = "Option ids must be unique within a check: {ids}."
SINGLE_NEEDS_ONE_CORRECT = "A single-choice check needs exactly one correct option."
MULTIPLE_NEEDS_TWO_CORRECT = (
    "A multiple-choice check needs at least two correct options; use single "
    "choice for one."
)
DUPLICATE_CHECK_ID = "Check ids must be unique within a lesson: {ids}."

CHECK_ID_HELP = (
    "A short id, unique within this lesson (e.g. q1). Keep it once learners have "
    "answered: their results refer to it."
)


class CalloutBlock(blocks.StructBlock):
    """A boxed note: a guideline to follow, a tip, or a warning about a common
    error."""

    kind = blocks.ChoiceBlock(
        choices=[("guideline", "Guideline"), ("tip", "Tip"), ("warning", "Warning")],
        default="tip",
    )
    title = blocks.CharBlock(required=False, max_length=200)
    body = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "info-circle"
        template = "courses/blocks/callout.html"
        description = "A guideline, tip or warning set apart from the text"
        preview_value = {
            "kind": "guideline",
            "title": "Code to the highest specificity",
            "body": "<p>Report the most specific code the record supports.</p>",
        }


class ExampleCodeBlock(blocks.StructBlock):
    """One code of a coding example and why it applies."""

    system = blocks.ChoiceBlock(
        choices=[(system.value, SYSTEM_LABELS[system]) for system in CodeSystem],
        default=CodeSystem.ICD10CM.value,
    )
    code = blocks.CharBlock(max_length=20)
    note = blocks.CharBlock(required=False, max_length=500, help_text="Why this code")

    class Meta:
        icon = "tag"


class CodingExampleBlock(blocks.StructBlock):
    """A worked example: an excerpt of (fictional) documentation, the codes it
    supports, and the reasoning."""

    documentation = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        help_text="An excerpt of a fictional, de-identified note.",
    )
    codes = blocks.ListBlock(ExampleCodeBlock())
    explanation = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/coding_example.html"
        description = "Documentation excerpt, the codes and why"


class TableBlock(blocks.StructBlock):
    """A simple table of plain-text cells with a caption and a header row."""

    caption = blocks.CharBlock(required=False, max_length=300)
    header = blocks.ListBlock(blocks.CharBlock(max_length=200))
    rows = blocks.ListBlock(blocks.ListBlock(blocks.CharBlock(required=False)))

    class Meta:
        icon = "table"
        template = "courses/blocks/table.html"
        description = "A table with a header row"


class CaseLinkBlock(blocks.StructBlock):
    """A link to a practice case, inviting the learner to apply the lesson."""

    case = blocks.PageChooserBlock(help_text="A case study page from the case library.")
    text = blocks.CharBlock(
        max_length=200, required=False, help_text="Link text; the case title if blank"
    )

    class Meta:
        icon = "link"
        template = "courses/blocks/case_link.html"
        description = "Practise the lesson on a case"


class ImageBlock(blocks.StructBlock):
    """An image with a caption; alt text comes from the image's description."""

    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"


class ChoiceOptionBlock(blocks.StructBlock):
    option_id = blocks.RegexBlock(
        regex=r"^[A-Za-z0-9_-]{1,20}$",
        max_length=20,
        label="Option id",
        help_text="e.g. a, b, c",
        error_messages={"invalid": "Use letters, digits, - or _ (at most 20)."},
    )
    text = blocks.CharBlock(max_length=500)
    correct = blocks.BooleanBlock(required=False)
    feedback = blocks.CharBlock(
        required=False,
        max_length=1000,
        help_text="Why this option is right or wrong, shown when a learner chooses "
        "it; on a wrong option, do not name the answer (it comes after the "
        "second try).",
    )

    class Meta:
        icon = "radio-full"


def _check_id_block() -> blocks.RegexBlock:
    return blocks.RegexBlock(
        regex=r"^[A-Za-z0-9_-]{1,40}$",
        max_length=40,
        label="Check id",
        help_text=CHECK_ID_HELP,
        error_messages={"invalid": "Use letters, digits, - or _ (at most 40)."},
    )


class KnowledgeCheckBlock(blocks.StructBlock):
    """A single- or multiple-choice question with feedback on every option,
    graded by the grading service when the learner submits; a wrong first try
    sees only its own options' feedback, the second try the answer."""

    check_id = _check_id_block()
    kind = blocks.ChoiceBlock(
        choices=[("single", "Single choice"), ("multiple", "Choose all that apply")],
        default="single",
    )
    prompt = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    options = blocks.ListBlock(ChoiceOptionBlock(), min_num=2, max_num=10)
    explanation = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        required=False,
        help_text="Shown with the answer: after a right answer or the second try",
    )

    class Meta:
        icon = "help"
        template = "courses/blocks/knowledge_check.html"
        description = "A multiple-choice question with immediate feedback"

    def clean(self, value):
        value = super().clean(value)
        ids = [option["option_id"] for option in value["options"]]
        duplicates = sorted(
            {option_id for option_id in ids if ids.count(option_id) > 1}
        )
        if duplicates:
            raise blocks.StructBlockValidationError(
                {
                    "options": ValidationError(
                        DUPLICATE_OPTION_ID.format(ids=", ".join(duplicates))
                    )
                }
            )
        correct = sum(1 for option in value["options"] if option["correct"])
        if value["kind"] == "single" and correct != 1:
            raise blocks.StructBlockValidationError(
                {"options": ValidationError(SINGLE_NEEDS_ONE_CORRECT)}
            )
        if value["kind"] == "multiple" and correct < 2:
            raise blocks.StructBlockValidationError(
                {"options": ValidationError(MULTIPLE_NEEDS_TWO_CORRECT)}
            )
        return value

    def get_searchable_content(self, value):
        return []


class CodeEntryCheckBlock(blocks.StructBlock):
    """A short coding exercise: the learner types codes for an excerpt and the
    grading engine grades them against the key."""

    check_id = _check_id_block()
    prompt = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)
    documentation = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        required=False,
        help_text="A short excerpt of fictional documentation to code.",
    )
    key = AnswerKeyBlock(
        help_text="The codes the learner must give, with rationales; checked "
        "against the code sets in force on the date of service."
    )

    class Meta:
        icon = "form"
        template = "courses/blocks/code_entry_check.html"
        description = "Type the codes; graded like a case"

    def get_context(self, value, parent_context=None):
        from courses.answers import SECTION_LABELS, key_sections

        context = super().get_context(value, parent_context=parent_context)
        result = (parent_context or {}).get("check_result")
        last = result.last_response if result else {}
        context["sections"] = [
            {"name": name, "label": SECTION_LABELS[name], "last": last.get(name, "")}
            for name in key_sections(value["key"])
        ]
        return context

    def get_searchable_content(self, value):
        return []


CHECK_BLOCK_TYPES = ("knowledge_check", "code_entry_check")


class LessonBodyBlock(blocks.StreamBlock):
    """The lesson body; checks' ids must be unique within the lesson."""

    rich_text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = ImageBlock()
    document = DocumentChooserBlock(
        icon="doc-full-inverse", template="courses/blocks/document.html"
    )
    embed = EmbedBlock(
        icon="media",
        help_text="A video URL (YouTube or Vimeo)",
        template="courses/blocks/embed.html",
    )
    callout = CalloutBlock()
    coding_example = CodingExampleBlock()
    table = TableBlock()
    case_link = CaseLinkBlock()
    knowledge_check = KnowledgeCheckBlock()
    code_entry_check = CodeEntryCheckBlock()

    def clean(self, value):
        value = super().clean(value)
        ids = [
            child.value["check_id"]
            for child in value
            if child.block_type in CHECK_BLOCK_TYPES
        ]
        duplicates = sorted({check_id for check_id in ids if ids.count(check_id) > 1})
        if duplicates:
            raise blocks.StreamBlockValidationError(
                non_block_errors=[DUPLICATE_CHECK_ID.format(ids=", ".join(duplicates))]
            )
        return value
