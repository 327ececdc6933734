"""A learner's progress through a course: enrolment, lessons and check results."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Enrolment(models.Model):
    """A learner taking a course; remembers the last lesson for resuming."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"], name="courses_enrolment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.course}"


class LessonProgress(models.Model):
    """A learner's state in one lesson. `completed_by` says whether they marked
    it complete or passed all its checks."""

    class CompletedBy(models.TextChoices):
        MARKED = "marked", "Marked complete"
        CHECKS = "checks", "Passed its checks"

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    first_viewed_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.CharField(
        max_length=16, choices=CompletedBy.choices, blank=True
    )

    class Meta:
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="courses_lesson_progress_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.lesson}"


class CheckResult(models.Model):
    """A learner's results on one knowledge check.

    A check gives `TRIES` tries before its answer is shown. The score that counts
    (the ledger, readiness, progress, reports) is the first try's; `correct_on`
    says which try was first right, and `passed` that the learner has answered
    it correctly (the condition for completing the lesson). The last answer is
    shown again, with its feedback, when they come back.
    """

    TRIES = 2

    progress = models.ForeignKey(
        LessonProgress, on_delete=models.CASCADE, related_name="check_results"
    )
    check_id = models.CharField(max_length=40)
    attempts = models.PositiveIntegerField(default=0)
    first_points = models.FloatField(
        default=0, help_text="The first try's points: the score that counts."
    )
    max_points = models.FloatField(default=0)
    correct_on = models.PositiveIntegerField(
        null=True, blank=True, help_text="The try that was first answered correctly."
    )
    passed = models.BooleanField(default=False)
    last_response = models.JSONField(default=dict, blank=True)
    last_feedback = models.JSONField(default=dict, blank=True)
    last_answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["progress", "check_id"], name="courses_check_result_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_id}: {self.first_points:g}/{self.max_points:g}"

    @property
    def first_percentage(self) -> float:
        if not self.max_points:
            return 0.0
        return round(100 * self.first_points / self.max_points, 1)

    @property
    def revealed(self) -> bool:
        """Whether the answer and its explanation may be shown: after a correct
        answer or once the tries are used up."""
        return self.passed or self.attempts >= self.TRIES
