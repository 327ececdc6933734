"""Upheld disputes close when the regrade after their key change commits."""

from disputes.services import disputes_resolve_by_regrade


def resolve_upheld_disputes(sender, *, item, graded_response_ids, **kwargs) -> None:
    disputes_resolve_by_regrade(item=item, graded_response_ids=graded_response_ids)
