"""The certifications learners prepare for and their exam domains: one taxonomy
shared by case studies, courses, mock exams and readiness. Kept as data that
instructors edit, because the certifying bodies change their outlines."""

from django.db import models


class Difficulty(models.TextChoices):
    """The author's difficulty, shared by cases, knowledge checks and exam items;
    readiness uses it as the prior until enough responses exist."""

    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Certification(models.Model):
    slug = models.SlugField(unique=True, help_text="Stable identifier, e.g. cpc.")
    name = models.CharField(
        max_length=120, help_text="e.g. Certified Professional Coder"
    )
    abbreviation = models.CharField(max_length=10, help_text="e.g. CPC")
    awarding_body = models.CharField(max_length=120, help_text="e.g. AAPC")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["abbreviation"]

    def __str__(self) -> str:
        return self.abbreviation


class Domain(models.Model):
    """An area of an exam's content outline, with its share of the exam."""

    certification = models.ForeignKey(
        Certification, on_delete=models.CASCADE, related_name="domains"
    )
    slug = models.SlugField(unique=True, help_text="Stable identifier, e.g. cpc-em.")
    name = models.CharField(max_length=160)
    weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        help_text="Share of the exam in percent; a certification's domains add to 100.",
    )
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["certification__abbreviation", "sort_order", "name"]

    def __str__(self) -> str:
        return f"{self.certification.abbreviation}: {self.name}"
