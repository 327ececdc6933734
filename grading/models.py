"""The ledger of graded responses, and the scoring policies instructors define.

Every graded answer, from a practice case, a knowledge check or a mock-exam item,
is one `GradedResponse` row. Readiness and instructor analytics read this ledger
only, so they never need to know every content type: an item is named by strings
(`item_type`, `item_id`), not by a foreign key to each app's models; its
`grading.items.ItemRef` (`GradedResponse.item`) reads them.
"""

from dataclasses import fields

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from certifications.models import Difficulty
from grading.engine import (
    POLICIES,
    SchemaError,
    ScoringPolicy,
    Setting,
    policy_from_dict,
)
from grading.items import ItemRef

BUILT_IN_NAME = "{name} is a built-in policy name: choose another name."


class ClaimSetting(models.TextChoices):
    """The grading engine's setting: which claim a key is for."""

    PROFESSIONAL = Setting.PROFESSIONAL, "Professional (CMS-1500)"
    OUTPATIENT = Setting.OUTPATIENT, "Outpatient facility"
    INPATIENT = Setting.INPATIENT, "Inpatient facility (ICD-10-PCS)"


class GradedResponse(models.Model):
    """One graded answer: who, which item, how many points, under which rules.

    `attempt_ref` is the consumer's identifier of the attempt (an exam attempt and
    question, a case attempt); with `source` it is unique, so recording the same
    attempt again updates its row instead of adding one, keeping what it replaced
    as a `GradedResponseRegrade`. `learner` is empty once the learner deleted
    their account: the answer still counts in item statistics, but is no one's.
    """

    class Source(models.TextChoices):
        PRACTICE_CASE = "practice_case", "Practice case"
        KNOWLEDGE_CHECK = "knowledge_check", "Knowledge check"
        EXAM_ITEM = "exam_item", "Mock-exam item"
        BILLING_EXERCISE = "billing_exercise", "Billing exercise"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="graded_responses",
    )
    former_learner = models.CharField(
        max_length=32,
        blank=True,
        help_text="A deleted learner's rows share this random key, which names no "
        "one, so item statistics still see one person's answers together",
    )
    source = models.CharField(max_length=32, choices=Source.choices)
    item_type = models.CharField(
        max_length=64, help_text="e.g. case_study, knowledge_check, exam_question"
    )
    item_id = models.CharField(
        max_length=128, help_text="The item's id in its app, e.g. 42 or 7:block-id"
    )
    item_title = models.CharField(max_length=255, blank=True)
    attempt_ref = models.CharField(
        max_length=128, help_text="The consumer's identifier of this attempt"
    )
    domains = models.ManyToManyField(
        "certifications.Domain", blank=True, related_name="graded_responses"
    )
    difficulty = models.CharField(max_length=16, choices=Difficulty.choices)
    points = models.FloatField()
    max_points = models.FloatField()
    status_counts = models.JSONField(default=dict, blank=True)
    policy = models.CharField(max_length=100)
    time_spent = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds spent on the item"
    )
    graded_at = models.DateTimeField(default=timezone.now)
    regraded_count = models.PositiveIntegerField(default=0)
    key_revision = models.CharField(
        max_length=64, blank=True, help_text="The key version graded against"
    )
    response = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-graded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "attempt_ref"],
                name="grading_graded_response_unique_attempt",
            )
        ]
        indexes = [
            models.Index(
                fields=["learner", "-graded_at"], name="grading_gr_learner_time"
            ),
            models.Index(
                fields=["source", "item_type", "item_id"], name="grading_gr_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_title or self.item_id}: {self.points:g}/{self.max_points:g}"

    @property
    def item(self) -> ItemRef:
        return ItemRef.from_ledger(self.item_type, self.item_id)

    @property
    def percentage(self) -> float:
        if not self.max_points:
            return 0.0
        return round(100 * self.points / self.max_points, 2)


class GradedResponseRegrade(models.Model):
    """What a regrade replaced: the row's graded values before it, with who
    regraded it (empty for the system or a deleted account), when and why."""

    graded_response = models.ForeignKey(
        GradedResponse, on_delete=models.CASCADE, related_name="regrades"
    )
    regraded_at = models.DateTimeField(default=timezone.now)
    regraded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(max_length=255, blank=True)
    changed_fields = models.JSONField(
        default=list, blank=True, help_text="The fields this regrade changed"
    )
    previous = models.JSONField(
        default=dict,
        help_text="The graded values before the regrade, with graded_at and the "
        "domain ids",
    )

    class Meta:
        ordering = ["graded_response", "regraded_at", "id"]

    def __str__(self) -> str:
        return f"Regrade of {self.graded_response_id} at {self.regraded_at:%Y-%m-%d}"


class ScoringPolicyDefinition(models.Model):
    """A scoring policy an instructor defines; the fields mirror `ScoringPolicy`
    and are checked by the engine's `policy_from_dict`."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    points_per_line = models.FloatField(
        default=1.0, help_text="Points for each required coding line"
    )
    points_per_choice_item = models.FloatField(
        default=1.0, help_text="Points for each multiple-choice item"
    )
    icd10cm_same_subcategory = models.FloatField(
        default=0.5,
        help_text="Share earned by a diagnosis in the right subcategory (0 to 1)",
    )
    icd10cm_same_category = models.FloatField(
        default=0.25,
        help_text="Share earned by a diagnosis in the right category only (0 to 1)",
    )
    pcs_one_axis_wrong = models.FloatField(
        default=0.5, help_text="Share earned by a procedure with one axis wrong"
    )
    pcs_several_axes_wrong = models.FloatField(
        default=0.25, help_text="Share earned by a procedure with several axes wrong"
    )
    modifier_deduction = models.FloatField(
        default=0.25, help_text="Share taken off for wrong or missing modifiers"
    )
    units_deduction = models.FloatField(
        default=0.25, help_text="Share taken off for wrong units"
    )
    pointer_deduction = models.FloatField(
        default=0.25, help_text="Share taken off for wrong diagnosis pointers"
    )
    sequence_deduction = models.FloatField(
        default=0.25, help_text="Share taken off when the principal line is not first"
    )
    extra_line_penalty = models.FloatField(
        default=0.5, help_text="Points taken off per extra or invalid line"
    )
    floor_at_zero = models.BooleanField(
        default=True, help_text="Never let the total go below zero"
    )
    all_or_nothing = models.BooleanField(
        default=False,
        help_text="Full marks only when every line is exact, as certification "
        "exams score",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), name="grading_policy_definition_unique_name_ci"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.name and self.name.strip().lower() in POLICIES:
            errors["name"] = [BUILT_IN_NAME.format(name=self.name.strip())]
        try:
            self.as_policy()
        except SchemaError as error:
            for field, message in error.errors:
                errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def as_policy(self) -> ScoringPolicy:
        """The engine's policy; raises `SchemaError` naming every bad field."""
        return policy_from_dict(
            {field.name: getattr(self, field.name) for field in fields(ScoringPolicy)}
        )
