"""Writes of the content linter: recording an accepted finding."""

from django.db import transaction

from content_checks.models import AcceptedFinding

REASON_REQUIRED = "Give the reason the key is right despite the finding."


class AcceptError(ValueError):
    pass


@transaction.atomic
def finding_accept(*, where: str, finding: str, reason: str, user=None):
    """Record (or update) why a finding of the key at `where` is accepted."""
    reason = reason.strip()
    if not reason:
        raise AcceptError(REASON_REQUIRED)
    accepted, _ = AcceptedFinding.objects.update_or_create(
        where=where,
        finding=finding,
        defaults={"reason": reason, "accepted_by": user},
    )
    return accepted
