"""Billing work built on a case an exam in progress is testing: its feedback
withheld from the learner, because a claim key holds the case's codes (told to the
ledger's visibility rule in BillingConfig.ready()). The workspace itself is
refused then, like practice on the case (`views._blocked`)."""

from __future__ import annotations

from django.db.models import Q

from billing.models import BillingScenarioPage
from exams.visibility import CASE_TESTED_NOW, items_in_progress
from grading.items import SEPARATOR, ItemType
from grading.visibility import Withholding


def billing_work_withheld(learner) -> list[Withholding]:
    """The learner's billing rows on scenarios built on a case under exam."""
    slugs = items_in_progress(learner).values("question__case_slug")
    scenarios = BillingScenarioPage.objects.filter(case_slug__in=slugs)
    condition = Q()
    for pk in scenarios.values_list("pk", flat=True):
        condition |= Q(item_id__startswith=f"{pk}{SEPARATOR}")
    if not condition:
        return []
    in_billing = Q(item_type=ItemType.BILLING_SCENARIO)
    return [Withholding(in_billing & condition, CASE_TESTED_NOW)]
