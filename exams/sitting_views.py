"""The instructor's live roster of an exam sitting."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from exams.sitting_selectors import (
    RosterStatus,
    sitting_for_instructor,
    sitting_roster,
)


@login_required
def sitting_roster_page(request: HttpRequest, sitting_id: int) -> HttpResponse:
    sitting = sitting_for_instructor(user=request.user, sitting_id=sitting_id)
    return render(
        request,
        "exams/sitting.html",
        {
            "sitting": sitting,
            "rows": sitting_roster(sitting),
            "statuses": RosterStatus,
        },
    )
