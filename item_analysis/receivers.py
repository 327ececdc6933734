"""A regrade marks the snapshots of its item's scopes stale: a key change can
change what an item's statistics show (which option is the key) without changing
the ledger's fingerprint. New answers need no receiver: the fingerprint notices
them, and grading an exam pays no query for item analysis. The work runs robustly
after commit: a failure here is logged and never stops the regrade."""

from django.db import transaction

from grading.items import ItemType
from item_analysis import selectors, services


def _mark_item_regraded(item) -> None:
    if item.item_type == ItemType.CASE_STUDY:
        services.scopes_mark_stale(scopes=[selectors.CASES_SCOPE])
    elif item.item_type == ItemType.EXAM_QUESTION:
        services.exam_scopes_mark_stale()


def mark_regraded_stale(sender, item, **kwargs) -> None:
    transaction.on_commit(lambda: _mark_item_regraded(item), robust=True)
