"""A user's notifications: the list, and opening one. Thin: parse, call, render."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from notifications import selectors
from notifications.services import notification_mark_read


@login_required
def notification_list(request):
    notifications = selectors.notifications_of(request.user)
    return render(request, "notifications/list.html", {"notifications": notifications})


@login_required
def notification_open(request, pk):
    notification = selectors.notification_of(request.user, pk)
    notification_mark_read(notification=notification)
    if url := selectors.followable_url(notification):
        return redirect(url)
    return render(request, "notifications/detail.html", {"notification": notification})
