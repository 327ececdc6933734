"""The admin form of a question: a coding item's answer key is edited with the key
editor's blocks (grading.key_blocks), as a case's and a lesson check's are, and
stored as the grading engine's JSON in `Question.key`, which attempts, imports and
the content linter read."""

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.blocks import BlockField

from exams.models import QuestionKind
from grading.key_blocks import AnswerKeyBlock

CODING_NEEDS_KEY = "A coding item needs an answer key: add its lines."
KEY_ONLY_FOR_CODING = (
    "Only coding items have an answer key: remove the lines, or make the question "
    "a coding item."
)


class QuestionForm(WagtailAdminModelForm):
    key = BlockField(
        block=AnswerKeyBlock(required=False),
        required=False,
        label="Answer key",
        help_text="Coding items: the codes the learner must give, line by line; each "
        "code is checked against the code sets in force on the date of service.",
    )

    def clean(self):
        cleaned = super().clean()
        if "key" in cleaned:
            coding = cleaned.get("kind") == QuestionKind.CODING
            if coding and not cleaned["key"]:
                self.add_error("key", CODING_NEEDS_KEY)
            elif not coding and cleaned["key"]:
                self.add_error("key", KEY_ONLY_FOR_CODING)
        return cleaned
