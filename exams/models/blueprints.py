"""Blueprints: what an exam draws from the bank, how long it lasts, how it passes
and when learners see the answers. Like questions, a blueprint's row is its live,
approved version; edits go through the review workflow."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    RevisionMixin,
    WorkflowMixin,
)

from exams import passing
from exams.passing import PassingRule
from grading.exceptions import GradingInputError
from grading.selectors import policy_named


class PassingKind(models.TextChoices):
    PERCENT = passing.PERCENT, "Percent correct"
    SCALED = passing.SCALED, "Scaled score"


class Selection(models.TextChoices):
    FIXED = "fixed", "Fixed list, in order"
    RANDOM = "random", "Random per attempt, by domain"


class ReviewPolicy(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately after grading"
    AFTER_CLOSE = "after_close", "After the close date"
    NEVER = "never", "Never (score only)"


class BlueprintQuerySet(models.QuerySet):
    def offered(self):
        """Exams learners may see and start: published, with an approved live
        version."""
        return self.filter(published=True, live=True)


class Blueprint(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel
):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    certification = models.ForeignKey(
        "certifications.Certification", on_delete=models.PROTECT, related_name="+"
    )
    time_limit_seconds = models.PositiveIntegerField(
        help_text="Time limit in seconds (240 minutes = 14400)."
    )
    passing_kind = models.CharField(
        max_length=16, choices=PassingKind.choices, default=PassingKind.PERCENT
    )
    passing_cut = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=passing.DEFAULT_CUT,
        help_text="Percent correct, or the scaled score needed to pass.",
    )
    scaled_min = models.PositiveSmallIntegerField(default=passing.DEFAULT_SCALED_MIN)
    scaled_max = models.PositiveSmallIntegerField(default=passing.DEFAULT_SCALED_MAX)
    selection = models.CharField(
        max_length=16, choices=Selection.choices, default=Selection.FIXED
    )
    questions_per_domain = models.JSONField(
        default=dict,
        blank=True,
        help_text='Random selection: {"domain-slug": number of questions}.',
    )
    shuffle_options = models.BooleanField(default=True)
    attempts_allowed = models.PositiveSmallIntegerField(default=3)
    review_policy = models.CharField(
        max_length=16, choices=ReviewPolicy.choices, default=ReviewPolicy.IMMEDIATELY
    )
    closes_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="After this time no attempt starts; 'after close' review opens.",
    )
    grading_policy = models.CharField(
        max_length=40, default="exam", help_text="Grading policy for coding items."
    )
    published = models.BooleanField(
        default=True,
        help_text="Offered to learners once its live version is approved.",
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="blueprint")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="blueprint",
        for_concrete_model=False,
    )

    objects = BlueprintQuerySet.as_manager()

    panels = [
        FieldPanel("slug"),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("certification"),
        FieldPanel("time_limit_seconds"),
        MultiFieldPanel(
            [
                FieldPanel("passing_kind"),
                FieldPanel("passing_cut"),
                FieldPanel("scaled_min"),
                FieldPanel("scaled_max"),
            ],
            heading="Passing rule",
        ),
        FieldPanel("selection"),
        FieldPanel("questions_per_domain"),
        InlinePanel("questions", label="Fixed questions"),
        FieldPanel("shuffle_options"),
        FieldPanel("attempts_allowed"),
        FieldPanel("review_policy"),
        FieldPanel("closes_at"),
        FieldPanel("grading_policy"),
        FieldPanel("published"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        try:
            policy_named(self.grading_policy)
        except GradingInputError as error:
            raise ValidationError(
                {"grading_policy": [message for _, message in error.errors]}
            ) from None

    @property
    def revisions(self):
        return self._revisions

    @property
    def time_limit_minutes(self) -> int:
        return round(self.time_limit_seconds / 60)

    @property
    def passing_rule(self) -> PassingRule:
        """The exam's passing rule, as attempts are scored and readiness
        predicts."""
        return PassingRule(
            kind=self.passing_kind,
            cut=float(self.passing_cut),
            scaled_min=float(self.scaled_min),
            scaled_max=float(self.scaled_max),
        )

    def question_count(self) -> int:
        """The number of questions an attempt is given: the fixed list, or the
        random draw's number per domain added up."""
        if self.selection == Selection.FIXED:
            return self.questions.count()
        return sum(int(n) for n in self.questions_per_domain.values())

    def scored_question_count(self) -> int:
        """The questions that count toward the score: a fixed list's without its
        pretest questions; a random draw's are all taken as scored."""
        if self.selection == Selection.FIXED:
            return self.questions.filter(question__pretest=False).count()
        return self.question_count()


class BlueprintQuestion(Orderable):
    blueprint = ParentalKey(
        Blueprint, on_delete=models.CASCADE, related_name="questions"
    )
    question = models.ForeignKey(
        "exams.Question", on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("question")]

    def __str__(self) -> str:
        return str(self.question)
