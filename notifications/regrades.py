"""Telling learners their score changed when a key change regraded their answers.

`grading.signals.responses_regraded` names the ledger rows whose points or result
changed (possibly none); the app that owns the item writes what each learner may
be told (`regrade_notices`), since only it knows its pages and what it shows them.

An app that tells some learners about the same regrade in its own words (disputes:
the disputant's notice names their dispute and both scores) registers a
`RegradeNotifier`; it runs first, and the learners it told get no second notice.
"""

from collections.abc import Callable

from case_studies.regrade import regrade_notices as case_regrade_notices
from courses.regrade import regrade_notices as check_regrade_notices
from exams.regrade import regrade_notices as exam_regrade_notices
from grading.items import ItemRef, ItemType
from notifications.services import notification_send

_NOTICES_BY_ITEM_TYPE = {
    ItemType.CASE_STUDY: case_regrade_notices,
    ItemType.EXAM_QUESTION: exam_regrade_notices,
    ItemType.KNOWLEDGE_CHECK: check_regrade_notices,
}

# Called with `item` and `graded_response_ids`; returns the ids of the learners
# it told about the regrade.
RegradeNotifier = Callable[..., set[int]]

_notifiers: list[RegradeNotifier] = []


def register_regrade_notifier(notifier: RegradeNotifier) -> None:
    if notifier not in _notifiers:
        _notifiers.append(notifier)


def learners_notify_of_regrade(
    sender, item: ItemRef, graded_response_ids: list[int], reason: str, **kwargs
) -> None:
    told: set[int] = set()
    for notifier in _notifiers:
        told |= notifier(item=item, graded_response_ids=graded_response_ids)
    notices = _NOTICES_BY_ITEM_TYPE.get(item.item_type)
    if notices is None or not graded_response_ids:
        return
    for notice in notices(graded_response_ids=graded_response_ids, reason=reason):
        if notice["user"].pk not in told:
            notification_send(**notice)
