"""Exam sittings: a class taking one mock exam together, at a time and place, run
by an instructor who follows each expected learner's progress live."""

from django.conf import settings
from django.db import models
from django.urls import reverse


class ExamSitting(models.Model):
    blueprint = models.ForeignKey(
        "exams.Blueprint", on_delete=models.CASCADE, related_name="sittings"
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who runs the sitting and may open its roster. Leave empty for "
        "yourself.",
    )
    starts_at = models.DateTimeField(
        help_text="Attempts and sign-ins from the start of this day count towards "
        "the sitting."
    )
    room = models.CharField(max_length=120, help_text="e.g. Lab B, morning group.")
    learners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="exam_sittings"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.blueprint} — {self.room}, {self.starts_at:%d %b %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("exams:sitting", args=[self.pk])
