"""A learner's attempts at a case: started on the server, submitted once."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class CaseAttempt(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_attempts",
    )
    case = models.ForeignKey(
        "case_studies.CaseStudyPage",
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    response = models.JSONField(default=dict, blank=True)
    graded_response = models.OneToOneField(
        "grading.GradedResponse",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_attempt",
    )
    time_spent = models.PositiveIntegerField(
        null=True, blank=True, help_text="Seconds from start to submission."
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["learner", "case", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.learner} on {self.case_id} at {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("case_studies:attempt", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
