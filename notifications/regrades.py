"""Telling learners their score changed when a key change regraded their answers.

`grading.signals.responses_regraded` names the ledger rows whose points changed;
the app that owns the item writes what each learner may be told
(`regrade_notices`), since only it knows its pages and what it shows them."""

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


def learners_notify_of_regrade(
    sender, item: ItemRef, graded_response_ids: list[int], reason: str, **kwargs
) -> None:
    notices = _NOTICES_BY_ITEM_TYPE.get(item.item_type)
    if notices is None or not graded_response_ids:
        return
    for notice in notices(graded_response_ids=graded_response_ids, reason=reason):
        notification_send(**notice)
