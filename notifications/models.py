"""Messages the platform leaves a user: a ruling on their dispute, a score that
changed in a regrade. Shown on the dashboard and sent by email."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text.")
    url = models.CharField(
        max_length=500, blank=True, help_text="A page of the site that says more."
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.user})"
