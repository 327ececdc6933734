"""Upheld disputes close when the regrade after their key change commits, and
their learners' notice of it is the only one they get (see
`notifications.regrades`)."""

from disputes.services import disputes_resolve_by_regrade


def resolve_upheld_disputes(*, item, graded_response_ids) -> set[int]:
    """Close the upheld disputes on `item`; returns the ids of the learners told."""
    resolved = disputes_resolve_by_regrade(
        item=item, graded_response_ids=graded_response_ids
    )
    return {dispute.learner_id for dispute in resolved}
