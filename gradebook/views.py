"""The gradebook of a class, its learners on one assignment, one learner's work
on one assignment, and the exports. Only the class's instructors and
administrators: anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gradebook import exports, selectors


@login_required
@require_GET
def gradebook(request, cohort_id):
    cohort = selectors.cohort_for(request.user, cohort_id)
    book = selectors.class_gradebook(cohort)
    link = _cell_link_format(cohort.pk)
    # Plain dicts: the template resolves a dict key at its first try, where an
    # attribute costs it a failed key lookup first; thousands of cells add up.
    table = [
        (
            row,
            [
                {
                    "link": link.format(learner=row.learner.pk, assignment=a.pk),
                    "score": grade.score_text,
                    "badge": grade.badge_class,
                    "status": grade.status_label,
                    "detail": grade.detail,
                }
                for a, grade in zip(book.assignments, row.grades, strict=True)
            ],
        )
        for row in book.rows
    ]
    context = {"book": book, "table": table}
    return render(request, "gradebook/gradebook.html", context)


@login_required
@require_GET
def assignment(request, cohort_id, assignment_id):
    cohort = selectors.cohort_for(request.user, cohort_id)
    assignment = selectors.assignment_of(cohort, assignment_id)
    link = _cell_link_format(cohort.pk)
    rows = [
        {
            "learner": learner,
            "grade": grade,
            "link": link.format(learner=learner.pk, assignment=assignment.pk),
        }
        for learner, grade in selectors.assignment_gradebook(assignment)
    ]
    context = {"cohort": cohort, "assignment": assignment, "rows": rows}
    return render(request, "gradebook/assignment.html", context)


@login_required
@require_GET
def learner_assignment(request, cohort_id, learner_id, assignment_id):
    cohort = selectors.cohort_for(request.user, cohort_id)
    learner = selectors.learner_of(cohort, learner_id)
    assignment = selectors.assignment_of(cohort, assignment_id)
    context = {
        "cohort": cohort,
        "learner": learner,
        "assignment": assignment,
        "grade": selectors.learner_grade(learner, assignment),
        **selectors.assignment_work(assignment, learner, viewer=request.user),
    }
    return render(request, "gradebook/learner_assignment.html", context)


@login_required
@require_GET
def export_csv(request, cohort_id):
    book = selectors.class_gradebook(selectors.cohort_for(request.user, cohort_id))
    return _download(exports.gradebook_csv(book), exports.filename(book, "csv"))


@login_required
@require_GET
def export_xlsx(request, cohort_id):
    book = selectors.class_gradebook(selectors.cohort_for(request.user, cohort_id))
    return _download(exports.gradebook_xlsx(book), exports.filename(book, "xlsx"))


def _cell_link_format(cohort_id: int) -> str:
    """The drill-down URL with {learner} and {assignment} left to fill: one
    reverse() for the page instead of one per cell (thousands for a big class)."""
    learner, assignment = 2_147_483_646, 2_147_483_645
    url = reverse("gradebook:learner_assignment", args=[cohort_id, learner, assignment])
    return url.replace(str(learner), "{learner}").replace(
        str(assignment), "{assignment}"
    )


def _download(content: bytes, name: str) -> HttpResponse:
    content_type = exports.CONTENT_TYPES[name.rsplit(".", 1)[1]]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
