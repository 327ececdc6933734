"""Attempts: the drawn items, the learner's saved answers and the server's deadline."""

from django.conf import settings
from django.db import models


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        GRADED = "graded", "Graded"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts"
    )
    blueprint = models.ForeignKey(
        "exams.Blueprint", on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.CharField(max_length=16, blank=True)
    graded_at = models.DateTimeField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)
    max_points = models.FloatField(null=True, blank=True)
    percent = models.FloatField(null=True, blank=True)
    scaled_score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True)
    domain_breakdown = models.JSONField(default=list, blank=True)
    # The attempt's time clock: the question on screen (None on the review page
    # or before the first question) since `clock_at`. Each page view moves it and
    # adds the whole seconds since to the question it leaves, so no second is
    # counted twice, whatever the tabs (exams.services.attempt_view_record).
    clock_at = models.DateTimeField(null=True, blank=True)
    clock_position = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "blueprint", "number"],
                name="exams_attempt_number_unique",
            ),
            # At most one open attempt per learner and exam, even when two tabs
            # start at once.
            models.UniqueConstraint(
                fields=["learner", "blueprint"],
                condition=models.Q(status="in_progress"),
                name="exams_one_open_attempt",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.blueprint} #{self.number} ({self.learner})"


class AttemptItem(models.Model):
    """One drawn question of an attempt, with its option order and the learner's
    answer, updated in place on every save."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(
        "exams.Question", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    option_order = models.JSONField(default=list)
    response = models.JSONField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    saved_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveBigIntegerField(default=0)
    time_spent_seconds = models.PositiveIntegerField(default=0)
    points = models.FloatField(null=True, blank=True)
    max_points = models.FloatField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="exams_item_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.position}"
