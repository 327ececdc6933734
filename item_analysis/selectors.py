"""Reads of item analysis: the ledger rows a scope is computed from, their
fingerprint, stored snapshots and the flagged items for the dashboard."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet
from django.urls import reverse

from accounts.roles import is_instructor
from exams import selectors as exam_selectors
from exams.models import Blueprint
from grading.items import ItemType
from grading.models import GradedResponse
from item_analysis.models import ItemAnalysisSnapshot
from item_analysis.statistics import PROVISIONAL

CASES_SCOPE = "cases"
_EXAM_SCOPE_PREFIX = "exam:"
DASHBOARD_LIMIT = 10


def exam_scope(slug: str) -> str:
    return f"{_EXAM_SCOPE_PREFIX}{slug}"


def blueprint_of_scope(scope: str) -> Blueprint | None:
    """The exam an `exam:<slug>` scope names, or None."""
    if not scope.startswith(_EXAM_SCOPE_PREFIX):
        return None
    return Blueprint.objects.filter(slug=scope.removeprefix(_EXAM_SCOPE_PREFIX)).first()


def exam_ledger_rows(blueprint: Blueprint) -> QuerySet[GradedResponse]:
    """The ledger rows of the questions the exam's attempts were given. A
    question another exam also asks brings that exam's rows too: callers keep
    the attempts they want by `attempt_ref`."""
    question_ids = exam_selectors.questions_asked_in(blueprint)
    return GradedResponse.objects.filter(
        source=GradedResponse.Source.EXAM_ITEM,
        item_type=ItemType.EXAM_QUESTION,
        item_id__in=[str(pk) for pk in question_ids],
    )


def case_ledger_rows() -> QuerySet[GradedResponse]:
    return GradedResponse.objects.filter(
        source=GradedResponse.Source.PRACTICE_CASE, item_type=ItemType.CASE_STUDY
    )


def source_fingerprint(scope: str) -> str:
    """The count and latest `graded_at` of the ledger rows the scope is computed
    from: a new, regraded or deleted answer changes it. Two queries for an
    exam, one for the cases."""
    if scope == CASES_SCOPE:
        rows = case_ledger_rows()
    else:
        blueprint = blueprint_of_scope(scope)
        if blueprint is None:
            return ""
        rows = exam_ledger_rows(blueprint)
    figures = rows.aggregate(count=Count("pk"), latest=Max("graded_at"))
    latest = figures["latest"].isoformat() if figures["latest"] else "-"
    return f"{figures['count']}@{latest}"


def blueprints_analysed() -> list[Blueprint]:
    return exam_selectors.blueprints_analysed()


def case_analysis(data: dict, case_id: int) -> dict | None:
    """The analysis of one case in a cases snapshot's data, or None."""
    return next(
        (item for item in data.get("items", []) if item["key"] == str(case_id)),
        None,
    )


def _flagged_rows(snapshot: ItemAnalysisSnapshot) -> list[dict]:
    rows = []
    for item in snapshot.data.get("items", []):
        if not item.get("flagged"):
            continue
        if snapshot.scope == CASES_SCOPE:
            where = "Cases"
            url = reverse("item_analysis:case", args=[item["key"]])
        else:
            where = snapshot.data.get("title", snapshot.scope)
            url = reverse("item_analysis:exam", args=[snapshot.data["slug"]])
            url += f"#item-{item['key']}"
        rows.append(
            {
                "where": where,
                "label": item["label"],
                "url": url,
                "provisional": item["provisional"],
                "reasons": [
                    flag["reason"]
                    for flag in item["flags"]
                    if flag["kind"] != PROVISIONAL
                ],
            }
        )
    return rows


def dashboard_context(user) -> dict | None:
    """The flagged items of every stored analysis (first attempts), for an
    instructor's dashboard; None when there are none or for anyone else."""
    if not user.is_authenticated or not is_instructor(user):
        return None
    flagged = []
    for snapshot in ItemAnalysisSnapshot.objects.filter(
        first_attempts_only=True, computed_at__isnull=False
    ):
        flagged += _flagged_rows(snapshot)
    if not flagged:
        return None
    return {"flagged": flagged[:DASHBOARD_LIMIT], "total": len(flagged)}
