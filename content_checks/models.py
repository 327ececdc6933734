"""Findings an author accepted, each with the reason a reviewer can read."""

from django.conf import settings
from django.db import models


class AcceptedFinding(models.Model):
    """A linter finding that is right for this key, and why.

    `where` names the key as the linter does ("case <slug>", "exam item <slug>",
    "lesson <slug>, check <id>"); `finding` is the finding's code, `rule:CODES`.
    """

    where = models.CharField(max_length=200)
    finding = models.CharField(
        max_length=200, help_text="The finding's code, e.g. excludes1:M54.17+M51.17."
    )
    reason = models.TextField(
        help_text="Why the key is right despite the rule, with the guideline that "
        "allows it."
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["where", "finding"]
        constraints = [
            models.UniqueConstraint(
                fields=["where", "finding"], name="content_checks_accepted_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.where}: {self.finding}"
