"""Disputing a line of feedback, ruling on it, and closing upheld disputes once
the regrade that follows the key change commits."""

from __future__ import annotations

from collections.abc import Collection

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from disputes.lines import DisputedLine
from disputes.models import Dispute
from grading.items import ItemRef
from grading.models import GradedResponse, GradedResponseRegrade
from notifications.services import notification_send

ALREADY_OPEN = "You already have an open dispute on this line."
ALREADY_RULED = "This dispute has already been ruled on."
EXPLANATION_REQUIRED = "Explain why the dispute is rejected: the learner reads it."

REJECTED_SUBJECT = "Your dispute of {label} was rejected"
UPHELD_SUBJECT = "Your dispute of {label} was upheld"
UPHELD_BODY = (
    "An instructor agreed with your dispute of {label}. The answer key is being "
    "changed; once the change passes review, your answer is regraded and you are "
    "told your new score."
)
RESOLVED_SUBJECT = "Your disputed answer was regraded: {label}"
RESOLVED_BODY = (
    "The answer key changed after your dispute of {label} and your answer was "
    "regraded: {before} before, {after} now."
)
UNCHANGED_BODY = (
    "The answer key changed after your dispute of {label} and your answer was "
    "regraded; your score stays {after}."
)


class DisputeError(Exception):
    """A dispute that cannot be opened or ruled on, with the reason to show."""


def _my_disputes_url(dispute: Dispute) -> str:
    return f"{reverse('disputes:mine')}#dispute-{dispute.pk}"


def dispute_open(
    *,
    learner,
    graded_response: GradedResponse,
    line: DisputedLine,
    reason: str,
    citation: str,
) -> Dispute:
    """Open the learner's dispute of `line` of their `graded_response`, keeping
    what they saw of it. Raises `DisputeError` when one is already open."""
    try:
        with transaction.atomic():
            return Dispute.objects.create(
                learner=learner,
                graded_response=graded_response,
                line=line.line,
                line_label=line.label,
                learner_answer=line.learner_answer,
                key_answer=line.key_answer,
                feedback=line.feedback,
                reason=reason,
                citation=citation,
            )
    except IntegrityError:
        raise DisputeError(ALREADY_OPEN) from None


def _open_for_ruling(dispute_id: int) -> Dispute:
    dispute = (
        Dispute.objects.select_for_update().select_related("learner").get(pk=dispute_id)
    )
    if dispute.status != Dispute.Status.OPEN:
        raise DisputeError(ALREADY_RULED)
    return dispute


def _rule(dispute: Dispute, *, status: str, ruled_by, ruling: str) -> None:
    dispute.status = status
    dispute.ruling = ruling
    dispute.ruled_by = ruled_by
    dispute.ruled_at = timezone.now()
    dispute.save(update_fields=["status", "ruling", "ruled_by", "ruled_at"])


@transaction.atomic
def dispute_reject(*, dispute: Dispute, ruled_by, explanation: str) -> Dispute:
    """Reject an open dispute with an explanation the learner is sent. Raises
    `DisputeError` when it was already ruled on or the explanation is empty."""
    if not explanation.strip():
        raise DisputeError(EXPLANATION_REQUIRED)
    dispute = _open_for_ruling(dispute.pk)
    _rule(
        dispute, status=Dispute.Status.REJECTED, ruled_by=ruled_by, ruling=explanation
    )
    notification_send(
        user=dispute.learner,
        subject=REJECTED_SUBJECT.format(label=dispute.line_label),
        body=explanation,
        url=_my_disputes_url(dispute),
    )
    return dispute


@transaction.atomic
def dispute_uphold(*, dispute: Dispute, ruled_by, note: str = "") -> Dispute:
    """Uphold an open dispute: the key is to be changed (through review), and the
    dispute waits for the regrade that follows. The learner is told. Raises
    `DisputeError` when it was already ruled on."""
    dispute = _open_for_ruling(dispute.pk)
    _rule(dispute, status=Dispute.Status.UPHELD, ruled_by=ruled_by, ruling=note)
    body = UPHELD_BODY.format(label=dispute.line_label)
    notification_send(
        user=dispute.learner,
        subject=UPHELD_SUBJECT.format(label=dispute.line_label),
        body=f"{body}\n\n{note}" if note else body,
        url=_my_disputes_url(dispute),
    )
    return dispute


def _score(points, max_points) -> str:
    return f"{points:g}/{max_points:g}"


def _score_before(response: GradedResponse, regraded: bool) -> str | None:
    """The response's score before the regrade, or None when it did not change
    (the regrade may have changed its result alone)."""
    if not regraded:
        return None
    last = (
        GradedResponseRegrade.objects.filter(graded_response=response)
        .order_by("-regraded_at", "-pk")
        .first()
    )
    if last is None:
        return None
    before = _score(last.previous["points"], last.previous["max_points"])
    return None if before == _score(response.points, response.max_points) else before


@transaction.atomic
def disputes_resolve_by_regrade(
    *, item: ItemRef, graded_response_ids: Collection[int]
) -> list[Dispute]:
    """Close every upheld dispute on `item` after the regrade of its responses
    committed, telling each learner their disputed answer's score before and after
    (`graded_response_ids` are the rows whose points or result the regrade
    changed, possibly none: a key change may move no score)."""
    changed = set(graded_response_ids)
    disputes = list(
        Dispute.objects.select_for_update(of=("self",))
        .filter(
            status=Dispute.Status.UPHELD,
            graded_response__item_type=item.item_type,
            graded_response__item_id=item.item_id,
        )
        .select_related("learner", "graded_response")
    )
    for dispute in disputes:
        response = dispute.graded_response
        after = _score(response.points, response.max_points)
        before = _score_before(response, response.pk in changed)
        template = RESOLVED_BODY if before else UNCHANGED_BODY
        dispute.status = Dispute.Status.RESOLVED_BY_REGRADE
        dispute.save(update_fields=["status"])
        notification_send(
            user=dispute.learner,
            subject=RESOLVED_SUBJECT.format(label=dispute.line_label),
            body=template.format(label=dispute.line_label, before=before, after=after),
            url=_my_disputes_url(dispute),
        )
    return disputes
