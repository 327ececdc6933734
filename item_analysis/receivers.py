"""Graded answers only mark their scope's snapshot stale; the page that shows it
queues the recompute. The work runs robustly after commit: a failure here is
logged and never stops the grading or the other receivers."""

from django.db import transaction

from grading.items import ItemType
from item_analysis import selectors, services


def _mark_scope_of(graded_response_id: int) -> None:
    scope = selectors.scope_of_ledger_row(graded_response_id)
    if scope is not None:
        services.scopes_mark_stale(scopes=[scope])


def mark_scope_stale(sender, graded_response_id: int, **kwargs) -> None:
    transaction.on_commit(lambda: _mark_scope_of(graded_response_id), robust=True)


def _mark_item_regraded(item) -> None:
    if item.item_type == ItemType.CASE_STUDY:
        services.scopes_mark_stale(scopes=[selectors.CASES_SCOPE])
    elif item.item_type == ItemType.EXAM_QUESTION:
        services.exam_scopes_mark_stale()


def mark_regraded_stale(sender, item, **kwargs) -> None:
    transaction.on_commit(lambda: _mark_item_regraded(item), robust=True)
