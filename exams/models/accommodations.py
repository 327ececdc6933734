"""Extra time or attempts an instructor grants a learner."""

from django.conf import settings
from django.db import models


class Accommodation(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    blueprint = models.ForeignKey(
        "exams.Blueprint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accommodations",
        help_text="Leave empty to apply to every exam.",
    )
    extra_minutes = models.PositiveIntegerField(default=0)
    time_multiplier = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text="e.g. 1.5 for time and a half.",
    )
    extra_attempts = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        scope = self.blueprint or "all exams"
        return f"{self.learner} — {scope}"
