"""Billing work built on a case an exam in progress is testing: its feedback
withheld from the learner, because a claim key holds the case's codes (told to the
ledger's visibility rule in BillingConfig.ready()). The workspace itself is
refused then, like practice on the case (`views._blocked`)."""

from __future__ import annotations

from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat

from billing.models import BillingScenarioPage
from exams.visibility import CASE_TESTED_NOW, items_in_progress
from grading.items import SEPARATOR, ItemType
from grading.visibility import Withholding


def billing_work_withheld(learner) -> list[Withholding]:
    """The learner's billing rows on scenarios built on a case under exam (a
    subquery: no query of its own). A row's item id is "<scenario id>:<step>"."""
    tested = BillingScenarioPage.objects.filter(
        case_slug__in=items_in_progress(learner).values("question__case_slug")
    )
    holding_the_row = tested.annotate(
        prefix=Concat(
            Cast("pk", CharField()), Value(SEPARATOR), output_field=CharField()
        ),
        row_item_id=Cast(OuterRef("item_id"), CharField()),
    ).filter(row_item_id__startswith=F("prefix"))
    condition = Q(item_type=ItemType.BILLING_SCENARIO) & Q(Exists(holding_the_row))
    return [Withholding(condition, CASE_TESTED_NOW)]
