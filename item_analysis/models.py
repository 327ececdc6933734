"""Stored item analyses: one snapshot per scope, recomputed by a Celery task when
the ledger rows it was computed from change (see item_analysis.services)."""

from django.db import models
from django.utils import timezone


class ItemAnalysisSnapshot(models.Model):
    """The statistics of one scope (`exam:<blueprint slug>` or `cases`) as last
    computed, and the fingerprint of the data they were computed from."""

    scope = models.CharField(max_length=120)
    first_attempts_only = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(
        max_length=80,
        blank=True,
        help_text="Count and latest graded_at of the source ledger rows",
    )
    stale = models.BooleanField(
        default=True, help_text="A graded answer in the scope came in since"
    )
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When a recompute was last queued"
    )

    class Meta:
        ordering = ["scope", "-first_attempts_only"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "first_attempts_only"],
                name="item_analysis_snapshot_unique_scope",
            )
        ]

    def __str__(self) -> str:
        attempts = "first attempts" if self.first_attempts_only else "all attempts"
        return f"{self.scope} ({attempts})"

    def recompute_pending(self, *, within) -> bool:
        """Whether a recompute was queued after the last computation, less than
        `within` (a timedelta) ago."""
        if self.queued_at is None:
            return False
        if self.computed_at is not None and self.queued_at <= self.computed_at:
            return False
        return timezone.now() - self.queued_at < within
