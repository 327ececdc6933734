"""Telling a user something: stored for the dashboard, and emailed once the
transaction that caused it commits."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification


def notification_send(*, user, subject: str, body: str, url: str = "") -> Notification:
    notification = Notification.objects.create(
        user=user, subject=subject[:200], body=body, url=url
    )
    if user.email:
        transaction.on_commit(
            lambda: send_mail(subject, body, None, [user.email], fail_silently=True)
        )
    return notification


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark the notification read (once: the first reading time is kept)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
