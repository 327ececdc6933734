"""A learner's dispute of one line of the feedback on a graded answer, and the
instructors' ruling on it.

The disputed line is named by a stable identifier within the graded response's
engine result (`disputes.lines`), and the dispute keeps what the learner saw when
they disputed it (their answer, the key, the feedback): a regrade rewrites the
result, the dispute still shows what was argued about.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Dispute(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        REJECTED = "rejected", "Rejected"
        UPHELD = "upheld", "Upheld: the key is being changed"
        RESOLVED_BY_REGRADE = "resolved_by_regrade", "Resolved by a regrade"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="disputes"
    )
    graded_response = models.ForeignKey(
        "grading.GradedResponse", on_delete=models.CASCADE, related_name="disputes"
    )
    line = models.CharField(
        max_length=64,
        help_text="The disputed line within the response's result, e.g. "
        "diagnoses.key.1, or item for a whole exam question",
    )
    line_label = models.CharField(
        max_length=200, help_text='e.g. "Diagnosis 2: E11.9" or "Question 14"'
    )
    learner_answer = models.TextField(blank=True)
    key_answer = models.TextField(blank=True)
    feedback = models.TextField(blank=True, help_text="The feedback the learner saw")
    reason = models.TextField()
    citation = models.CharField(
        max_length=300, help_text="e.g. ICD-10-CM Guidelines I.C.4.a"
    )
    status = models.CharField(
        max_length=32, choices=Status.choices, default=Status.OPEN
    )
    ruling = models.TextField(blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ruled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "graded_response", "line"],
                condition=Q(status="open"),
                name="disputes_one_open_per_learner_line",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.line_label} ({self.get_status_display()})"
