"""The question bank: multiple choice (single best answer or "choose N") and coding
items graded by the grading engine.

A question's row is its live, approved version: edits are revisions that go live
only when another instructor approves them in the review workflow, so an attempt
always uses what a reviewer saw."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    WorkflowMixin,
)

from certifications.models import Difficulty
from core.sanitize import clean_html


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single best answer"
    MULTIPLE = "multiple", "Multiple response (choose N)"
    CODING = "coding", "Coding item"


class Question(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel
):
    slug = models.SlugField(
        unique=True, help_text="Stable identifier, e.g. cpc-em-001."
    )
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    certification = models.ForeignKey(
        "certifications.Certification", on_delete=models.PROTECT, related_name="+"
    )
    domains = ParentalManyToManyField(
        "certifications.Domain",
        related_name="exam_questions",
        help_text="The exam areas this question tests.",
    )
    difficulty = models.CharField(
        max_length=16, choices=Difficulty.choices, default=Difficulty.INTERMEDIATE
    )
    stem = models.TextField(
        help_text="The question, in simple HTML (paragraphs, lists, tables)."
    )
    choose = models.PositiveSmallIntegerField(
        default=1, help_text="Multiple response: how many options are correct."
    )
    scenario = models.TextField(
        blank=True, help_text="Coding items: the medical-record excerpt, in HTML."
    )
    case_slug = models.SlugField(
        blank=True, help_text="Coding items: a demo case whose record is shown."
    )
    key = models.JSONField(
        default=dict,
        blank=True,
        help_text="Coding items: the grading engine's answer key (docs/grading.md).",
    )
    reference = models.CharField(max_length=500, blank=True)
    pretest = models.BooleanField(
        default=False, help_text="Unscored: shown and graded but not counted."
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="question")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="question",
        for_concrete_model=False,
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("kind"),
                FieldPanel("certification"),
                FieldPanel("domains"),
                FieldPanel("difficulty"),
                FieldPanel("pretest"),
            ],
            heading="Classification",
        ),
        FieldPanel("stem"),
        FieldPanel("choose"),
        InlinePanel("options", label="Options", min_num=0),
        MultiFieldPanel(
            [FieldPanel("scenario"), FieldPanel("case_slug"), FieldPanel("key")],
            heading="Coding item",
        ),
        FieldPanel("reference"),
    ]

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    def save(self, *args, **kwargs):
        self.sanitise_html()
        super().save(*args, **kwargs)

    def clean(self):
        # The admin form's instance is what its revision stores, so clean it here
        # as well as in save(), which imports and publishing go through.
        super().clean()
        self.sanitise_html()

    @property
    def revisions(self):
        return self._revisions

    @property
    def is_choice(self) -> bool:
        return self.kind != QuestionKind.CODING

    def sanitise_html(self) -> None:
        """The stem and scenario are shown to learners as HTML."""
        self.stem = clean_html(self.stem)
        self.scenario = clean_html(self.scenario)


class QuestionOption(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    option_id = models.CharField(
        max_length=8, help_text="Stable id within the question, e.g. a, b, c, d."
    )
    text = models.CharField(max_length=500)
    correct = models.BooleanField(default=False)
    rationale = models.TextField(
        blank=True, help_text="Why this option is right or wrong."
    )

    panels = [
        FieldPanel("option_id"),
        FieldPanel("text"),
        FieldPanel("correct"),
        FieldPanel("rationale"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["question", "option_id"], name="exams_option_id_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.option_id}. {self.text}"
