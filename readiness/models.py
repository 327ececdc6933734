"""What readiness keeps: calibrated item difficulties, each learner's ability per
exam domain, and a daily readiness snapshot per certification for the history.

All of it is derived from the grading ledger (`grading.GradedResponse`) and can
be recomputed from it at any time; see docs/readiness.md.
"""

from django.conf import settings
from django.db import models

from grading.items import ItemRef


class ItemCalibration(models.Model):
    """An item's difficulty in logits, estimated from everyone's responses."""

    item_type = models.CharField(max_length=64)
    item_id = models.CharField(max_length=128)
    difficulty = models.FloatField()
    sd = models.FloatField()
    responses = models.PositiveIntegerField(default=0)
    calibrated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["item_type", "item_id"], name="readiness_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.difficulty:+.2f})"

    @property
    def item(self) -> ItemRef:
        return ItemRef.from_ledger(self.item_type, self.item_id)


class DomainCalibration(models.Model):
    """The spread of item difficulty in a domain: what an exam item there is like."""

    domain = models.OneToOneField(
        "certifications.Domain", on_delete=models.CASCADE, related_name="+"
    )
    difficulty_mean = models.FloatField()
    difficulty_sd = models.FloatField()
    items = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.domain}: {self.difficulty_mean:+.2f} ± {self.difficulty_sd:.2f}"


class PopulationCalibration(models.Model):
    """How learners in general improve and choose what to practise: the priors
    of each learner's trend and choice effect, re-estimated from everyone at each
    recalibration (the newest row counts)."""

    trend_mean = models.FloatField(help_text="Mean gain, logits per 30 days")
    trend_sd = models.FloatField()
    choice_mean = models.FloatField()
    choice_sd = models.FloatField()
    learners = models.PositiveIntegerField(default=0)
    calibrated_at = models.DateTimeField()

    class Meta:
        get_latest_by = "calibrated_at"

    def __str__(self) -> str:
        return (
            f"trend {self.trend_mean:+.2f} ± {self.trend_sd:.2f}, "
            f"choice {self.choice_mean:+.2f} ± {self.choice_sd:.2f}"
        )


class DomainAbility(models.Model):
    """A learner's ability in one exam domain: a Gaussian posterior in logits."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    domain = models.ForeignKey(
        "certifications.Domain", on_delete=models.CASCADE, related_name="+"
    )
    mean = models.FloatField()
    sd = models.FloatField()
    responses = models.PositiveIntegerField(default=0)
    expected = models.FloatField(help_text="Expected percent on the domain's items")
    low = models.FloatField()
    high = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "domain"], name="readiness_ability_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.domain}: {self.mean:+.2f} ± {self.sd:.2f}"


class ReadinessSnapshot(models.Model):
    """A learner's readiness for a certification as of their evidence on `day`."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    certification = models.ForeignKey(
        "certifications.Certification", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    predicted = models.FloatField(help_text="Predicted exam percent")
    low = models.FloatField()
    high = models.FloatField()
    pass_probability = models.FloatField()
    items_needed = models.PositiveIntegerField(default=0)
    responses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "certification", "day"],
                name="readiness_snapshot_unique_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} {self.certification} {self.day}: {self.predicted:.0f}%"


class MockExamPrediction(models.Model):
    """The readiness prediction made just before a full-length mock exam, and
    the score obtained on it: the real evidence the model is checked against."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    certification = models.ForeignKey(
        "certifications.Certification", on_delete=models.CASCADE, related_name="+"
    )
    attempt = models.OneToOneField(
        "exams.Attempt", on_delete=models.CASCADE, related_name="+"
    )
    predicted = models.FloatField(help_text="Predicted exam percent")
    low = models.FloatField()
    high = models.FloatField()
    pass_probability = models.FloatField()
    model_sd = models.FloatField(help_text="The model's own sd of the score (pp)")
    responses = models.PositiveIntegerField(
        help_text="Graded responses the prediction was made from"
    )
    score = models.FloatField(help_text="Percent obtained on the mock exam")
    passed = models.BooleanField()
    sat_at = models.DateTimeField(help_text="When the attempt started")

    class Meta:
        ordering = ["sat_at"]

    def __str__(self) -> str:
        return (
            f"{self.learner} {self.certification}: predicted {self.predicted:.0f}%, "
            f"scored {self.score:.0f}%"
        )
