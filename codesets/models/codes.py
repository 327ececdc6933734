"""The rows of a release: codes and the headers (chapters, tables) above them."""

from django.db import models

from codesets.sources.records import Kind


class CodeKind(models.TextChoices):
    CHAPTER = Kind.CHAPTER, "Chapter"
    BLOCK = Kind.BLOCK, "Block"
    CATEGORY = Kind.CATEGORY, "Category"
    SUBCATEGORY = Kind.SUBCATEGORY, "Subcategory"
    SECTION = Kind.SECTION, "Section"
    BODY_SYSTEM = Kind.BODY_SYSTEM, "Body system"
    TABLE = Kind.TABLE, "Table"
    CODE = Kind.CODE, "Code"


class Code(models.Model):
    """A code or header of one release.

    `code` is the compact form (no dot), the key of every look-up; `parent` is the
    compact code of the row above it in the same release. `notes` holds the
    tabular-list notes of this row only (an ancestor's notes apply to it too);
    `excludes1` holds the code references of its Excludes1 notes, as prefixes or
    `FROM:TO` ranges, for the edit checks.
    """

    release = models.ForeignKey(
        "codesets.Release", on_delete=models.CASCADE, related_name="codes"
    )
    code = models.CharField(max_length=16)
    display = models.CharField(max_length=24)
    kind = models.CharField(max_length=16, choices=CodeKind.choices)
    billable = models.BooleanField(help_text="Valid on a claim (a leaf code)")
    description = models.TextField()
    short_description = models.CharField(max_length=255, blank=True)
    parent = models.CharField(max_length=16, blank=True)
    chapter = models.CharField(max_length=4, blank=True)
    block = models.CharField(max_length=16, blank=True)
    axes = models.JSONField(default=list, blank=True, help_text="PCS axis labels")
    notes = models.JSONField(default=dict, blank=True)
    excludes1 = models.JSONField(default=list, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    terminated_on = models.DateField(null=True, blank=True)
    replaced_by = models.JSONField(default=list, blank=True)
    lay_description = models.BooleanField(
        default=False, help_text="Described in CoderAcademy's own words"
    )
    search_text = models.TextField(blank=True)
    digest = models.CharField(max_length=32)

    class Meta:
        ordering = ["release", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "code"], name="codesets_code_unique_per_release"
            )
        ]
        indexes = [models.Index(fields=["release", "parent"])]

    def __str__(self) -> str:
        return f"{self.display} {self.description[:60]}"
