"""A release: one version of one code system (or edit file), in force for a period."""

from django.db import models

from codeformats import SYSTEM_LABELS, CodeSystem


class ReleaseSystem(models.TextChoices):
    ICD10CM = CodeSystem.ICD10CM.value, SYSTEM_LABELS[CodeSystem.ICD10CM]
    ICD10PCS = CodeSystem.ICD10PCS.value, SYSTEM_LABELS[CodeSystem.ICD10PCS]
    HCPCS = CodeSystem.HCPCS.value, SYSTEM_LABELS[CodeSystem.HCPCS]
    CPT = CodeSystem.CPT.value, SYSTEM_LABELS[CodeSystem.CPT]
    MODIFIER = CodeSystem.MODIFIER.value, SYSTEM_LABELS[CodeSystem.MODIFIER]
    NCCI_PTP = "ncci_ptp", "NCCI PTP edits"
    NCCI_MUE = "ncci_mue", "NCCI MUEs"


class Release(models.Model):
    """One version of a code set; several versions of one system coexist.

    `effective_to` empty means "until a later release takes over": the release in
    force on a date is the latest one whose period contains it.
    """

    system = models.CharField(max_length=16, choices=ReleaseSystem.choices)
    version = models.CharField(max_length=40, help_text="e.g. 2026-04, FY2026, demo")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, help_text="Package or file it came from")
    demo = models.BooleanField(
        default=False, help_text="A small demo set written by CoderAcademy"
    )
    licensed = models.BooleanField(
        default=False, help_text="Licensed content (AMA CPT descriptors)"
    )
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the loaded rows")
    row_count = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["system", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "version"], name="codesets_release_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_system_display()} {self.version}"
