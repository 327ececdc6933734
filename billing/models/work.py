"""A learner's work on a billing scenario: the claim as they fill it in, what they
predicted and handed in, the payer's answer, and each denial worked."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from billing.engine.remittance import DenialAction, DenialCategory


def _ledger_row(related_name: str) -> models.OneToOneField:
    """A graded step's row in the grading ledger, kept when the row is gone."""
    return models.OneToOneField(
        "grading.GradedResponse",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class BillingAttempt(models.Model):
    """One go at a scenario. The claim is saved as typed on every step; once
    submitted, the claim sent, the payer's remittance and its 835 are kept."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="billing_attempts",
    )
    scenario = models.ForeignKey(
        "billing.BillingScenarioPage",
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    started_at = models.DateTimeField(default=timezone.now)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="corrections",
        help_text="The submitted attempt whose denied claim this one corrects.",
    )
    claim = models.JSONField(default=dict, blank=True)
    scrub_edits = models.JSONField(
        null=True, blank=True, help_text="The scrubber's last run; None before one."
    )
    prediction = models.JSONField(
        null=True, blank=True, help_text="Edit ids the learner predicted."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    claim_number = models.CharField(max_length=32, blank=True)
    remittance = models.JSONField(null=True, blank=True)
    era = models.TextField(blank=True, help_text="The payer's 835, as X12 text.")
    posting = models.JSONField(null=True, blank=True)
    graded_claim = _ledger_row("billing_claim")
    graded_prediction = _ledger_row("billing_prediction")
    graded_posting = _ledger_row("billing_posting")

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["learner", "scenario", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.learner} on {self.scenario_id} at {self.started_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("billing:attempt", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class DenialWork(models.Model):
    """A denial on the remittance, as the learner worked it: classified, a fix
    chosen, and for appeals the letter and the instructor's rubric scores."""

    attempt = models.ForeignKey(
        BillingAttempt, on_delete=models.CASCADE, related_name="denials"
    )
    line_number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The service line; empty for the claim."
    )
    category = models.CharField(
        max_length=32,
        choices=[
            (c.value, c.value.replace("_", " ").capitalize()) for c in DenialCategory
        ],
    )
    action = models.CharField(
        max_length=32,
        choices=[
            (a.value, a.value.replace("_", " ").capitalize()) for a in DenialAction
        ],
    )
    worked_at = models.DateTimeField(default=timezone.now)
    graded = _ledger_row("billing_denial")
    appeal_letter = models.TextField(blank=True)
    appeal_submitted_at = models.DateTimeField(null=True, blank=True)
    appeal_checks = models.JSONField(default=list, blank=True)
    rubric_scores = models.JSONField(default=dict, blank=True)
    rubric_comment = models.TextField(blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scored_at = models.DateTimeField(null=True, blank=True)
    graded_appeal = _ledger_row("billing_appeal")

    class Meta:
        ordering = ["attempt", "line_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "line_number"],
                name="billing_one_work_per_denial",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"Denial on line {self.line_number or 'claim'} of {self.attempt_id}"
