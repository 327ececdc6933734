"""Keep the learner's login alive for as long as an attempt runs."""

from datetime import datetime, timedelta

from django.utils import timezone

MARGIN = timedelta(hours=1)


def session_keep_until(request, deadline: datetime) -> None:
    """Extend the session so it cannot expire before `deadline` plus a margin;
    the session is only rewritten when it would."""
    needed = int((deadline + MARGIN - timezone.now()).total_seconds())
    if request.session.get_expire_at_browser_close():
        return
    if request.session.get_expiry_age() < needed:
        request.session.set_expiry(needed)
