"""Reads of disputes: a learner's own, the instructors' queue, the response a
learner may dispute, and where the disputed content is edited."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.models import Page

from accounts.roles import is_administrator, is_instructor
from disputes.models import Dispute
from exams.models import AttemptItem, Question
from exams.selectors import ledger_ref_prefix
from grading.items import ItemType
from grading.models import GradedResponse
from grading.selectors import graded_response_for

DASHBOARD_OLDEST = 3


def may_rule(user) -> bool:
    return is_instructor(user) or is_administrator(user)


def disputes_of(learner) -> QuerySet[Dispute]:
    """The learner's own disputes, newest first."""
    return (
        Dispute.objects.filter(learner=learner)
        .select_related("graded_response")
        .order_by("-created_at", "-pk")
    )


def disputes_to_rule_for(user) -> QuerySet[Dispute]:
    """Every dispute `user` may rule on: none for a learner, and never their own."""
    if not may_rule(user):
        return Dispute.objects.none()
    return (
        Dispute.objects.exclude(learner=user)
        .select_related("learner", "graded_response", "ruled_by")
        .order_by("created_at", "pk")
    )


def open_disputes_for(user) -> QuerySet[Dispute]:
    """The queue: open disputes `user` may rule on, oldest first."""
    return disputes_to_rule_for(user).filter(status=Dispute.Status.OPEN)


def upheld_disputes_for(user) -> QuerySet[Dispute]:
    """Upheld disputes still waiting for their key change's regrade."""
    return disputes_to_rule_for(user).filter(status=Dispute.Status.UPHELD)


def dispute_to_rule(user, dispute_id: int) -> Dispute:
    """A dispute `user` may rule on, or 404."""
    return get_object_or_404(disputes_to_rule_for(user), pk=dispute_id)


def disputable_response(learner, graded_response_id: int) -> GradedResponse:
    """One of the learner's own graded responses, marked with what they may see
    of it (`grading.visibility`); anyone else's is a 404."""
    return graded_response_for(learner, graded_response_id)


def exam_item_responses(attempt) -> dict[int, int]:
    """The ledger row of each graded item of an exam attempt, by position."""
    prefix = ledger_ref_prefix(attempt.pk)
    rows = GradedResponse.objects.filter(
        source=GradedResponse.Source.EXAM_ITEM,
        learner_id=attempt.learner_id,
        attempt_ref__startswith=prefix,
    ).values_list("attempt_ref", "pk")
    by_item = {int(ref.removeprefix(prefix)): pk for ref, pk in rows}
    positions = AttemptItem.objects.filter(attempt=attempt).values_list(
        "pk", "position"
    )
    return {position: by_item[pk] for pk, position in positions if pk in by_item}


def content_edit_url(user, response: GradedResponse) -> str | None:
    """Where `user` edits the content holding the disputed item in Wagtail's
    admin (a case or lesson page, an exam question snippet), or None when there is
    no such content or they may not edit it."""
    item = response.item
    if item.object_pk is None:
        return None
    if item.item_type == ItemType.EXAM_QUESTION:
        content = Question.objects.filter(pk=item.object_pk).first()
    else:
        content = Page.objects.filter(pk=item.object_pk).first()
    if content is None:
        return None
    return AdminURLFinder(user).get_edit_url(content)


def instructor_dashboard_context(user) -> dict | None:
    """The instructor panel: how many disputes are open and the oldest few."""
    if not user.is_authenticated or not may_rule(user):
        return None
    queue = open_disputes_for(user)
    return {"open_count": queue.count(), "oldest": list(queue[:DASHBOARD_OLDEST])}
