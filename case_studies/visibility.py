"""Practice on a case an exam in progress is testing: refused, and its feedback
withheld (told to the grading ledger's visibility rule in
CaseStudiesConfig.ready())."""

from __future__ import annotations

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from case_studies.models import CaseStudyPage
from exams.visibility import CASE_TESTED_NOW, items_in_progress, under_exam
from grading.selectors import graded_response_for
from grading.visibility import Withholding, shown, withheld_reason


def practice_blocked(learner, case: CaseStudyPage) -> str:
    """Why `learner` may not practise `case` now, or "" when they may."""
    return CASE_TESTED_NOW if case.slug in under_exam(learner).case_slugs else ""


def practice_cases_withheld(learner) -> list[Withholding]:
    """The learner's practice rows on cases an exam in progress is testing (a
    subquery: no query of its own)."""
    slugs = items_in_progress(learner).values("question__case_slug")
    tested = CaseStudyPage.objects.filter(slug__in=slugs).values(
        case_ref=Cast("pk", output_field=CharField())
    )
    return [Withholding(Q(item_id__in=tested), CASE_TESTED_NOW)]


def attempt_feedback(attempt, *, viewer) -> tuple[dict | None, str]:
    """The graded result of a submitted attempt as `viewer` may see it, and the
    reason when it is withheld: `(result, "")` or `(None, reason)`."""
    if attempt.graded_response_id is None:
        return None, ""
    row = graded_response_for(
        attempt.learner, attempt.graded_response_id, viewer=viewer
    )
    return shown(row, "result"), withheld_reason(row)
