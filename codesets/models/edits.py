"""NCCI edits: procedure-to-procedure pairs and medically unlikely edits."""

from django.db import models


class PtpEdit(models.Model):
    """Column 2 is not paid with column 1 for one patient on one day."""

    class ModifierIndicator(models.TextChoices):
        NOT_ALLOWED = "0", "0: no modifier allows the pair"
        ALLOWED = "1", "1: allowed with an NCCI-associated modifier"
        NOT_APPLICABLE = "9", "9: not applicable"

    release = models.ForeignKey(
        "codesets.Release", on_delete=models.CASCADE, related_name="ptp_edits"
    )
    column1 = models.CharField(max_length=5)
    column2 = models.CharField(max_length=5)
    effective_on = models.DateField()
    deleted_on = models.DateField(null=True, blank=True)
    modifier_indicator = models.CharField(
        max_length=1, choices=ModifierIndicator.choices
    )
    rationale = models.CharField(max_length=255, blank=True)
    digest = models.CharField(max_length=32)

    class Meta:
        ordering = ["release", "column1", "column2"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "column1", "column2", "effective_on"],
                name="codesets_ptp_unique",
            )
        ]
        indexes = [models.Index(fields=["release", "column1"])]

    def __str__(self) -> str:
        return f"{self.column1}/{self.column2} ({self.modifier_indicator})"


class MedicallyUnlikelyEdit(models.Model):
    """The most units of a code one provider reports for one patient on one day."""

    release = models.ForeignKey(
        "codesets.Release", on_delete=models.CASCADE, related_name="mues"
    )
    code = models.CharField(max_length=5)
    value = models.PositiveIntegerField()
    adjudication_indicator = models.CharField(max_length=60)
    rationale = models.CharField(max_length=255, blank=True)
    digest = models.CharField(max_length=32)

    class Meta:
        ordering = ["release", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "code"], name="codesets_mue_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.value}"
