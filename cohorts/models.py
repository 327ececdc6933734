"""Classes (cohorts): an instructor's group of learners, how learners join it, and
the work assigned to it with a due date.

The user-facing word is "class"; the code says cohort, since `class` is Python's.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from exams.models import ReviewPolicy


def new_join_code() -> str:
    """Eight characters from an alphabet without look-alikes (0/O, 1/I/L)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Cohort(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="cohorts_taught",
        help_text="Instructors who teach the class and see its reports.",
    )
    learners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="cohorts",
    )
    join_code = models.CharField(max_length=16, unique=True, default=new_join_code)
    joining_open = models.BooleanField(
        default=True, help_text="Whether the code and link still let learners join."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "class"
        verbose_name_plural = "classes"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="memberships"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cohort", "joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "learner"], name="cohorts_one_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.cohort}"


class Invitation(models.Model):
    """An email address invited to a class (one by one or from a CSV). Signing up
    or logging in with that address and following the link joins the class."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cohort", "email"]
        constraints = [
            models.UniqueConstraint(
                "cohort", Lower("email"), name="cohorts_one_invitation_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.cohort}"


class Assignment(models.Model):
    """Work set for a class: one case, a set of cases, a lesson or a mock exam."""

    class Kind(models.TextChoices):
        CASE = "case", "Case study"
        CASE_SET = "case_set", "Set of case studies"
        LESSON = "lesson", "Lesson"
        EXAM = "exam", "Mock exam"

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    instructions = models.TextField(blank=True)
    cases = models.ManyToManyField(
        "case_studies.CaseStudyPage", blank=True, related_name="+"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    blueprint = models.ForeignKey(
        "exams.Blueprint",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    review_policy = models.CharField(
        max_length=16,
        choices=ReviewPolicy.choices,
        blank=True,
        help_text="Mock exams: when this class sees answers and feedback. Leave "
        "empty to follow the exam's own policy; the stricter of the two applies.",
    )
    assigned_at = models.DateTimeField(
        default=timezone.now,
        help_text="Attempts started from this time count towards the assignment.",
    )
    due_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["cohort", "due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="lesson", lesson__isnull=False)
                | models.Q(kind="exam", blueprint__isnull=False)
                | models.Q(kind__in=["case", "case_set"]),
                name="cohorts_assignment_has_its_target",
            ),
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("assigned_at")),
                name="cohorts_assignment_due_after_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.cohort}, due {self.due_at:%d %b %Y})"
