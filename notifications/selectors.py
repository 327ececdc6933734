"""Reads of a user's notifications."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme

from notifications.models import Notification

DASHBOARD_UNREAD = 5


def notifications_of(user) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user=user)


def notification_of(user, notification_id: int) -> Notification:
    """One of the user's own notifications; anyone else's is a 404."""
    return get_object_or_404(notifications_of(user), pk=notification_id)


def followable_url(notification: Notification) -> str:
    """The notification's link when it is a path on this site, else "": a stored
    URL never sends anyone off-site (not even as //host/ or /\\host/)."""
    url = notification.url
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return ""
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=set()) else ""


def dashboard_context(user) -> dict | None:
    """The panel of unread notifications, hidden when there are none."""
    if not user.is_authenticated:
        return None
    unread = notifications_of(user).filter(read_at__isnull=True)
    count = unread.count()
    if not count:
        return None
    return {"unread_count": count, "unread": list(unread[:DASHBOARD_UNREAD])}
