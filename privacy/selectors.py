"""A learner's data, gathered for them to download (GDPR art. 15 and 20: access,
in a portable, machine-readable form).

Graded answers appear as the learner may see them (`grading.visibility`): a data
export must not become a way round an exam's review policy.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from billing.selectors import attempts_of as billing_attempts_of
from case_studies.models import CaseAttempt
from case_studies.visibility import attempt_feedback
from cohorts.models import Invitation, Membership
from courses.models import CheckResult, Enrolment, LessonProgress
from disputes.selectors import disputes_of
from exams.models import Accommodation, Attempt
from exams.selectors import attempt_results
from grading.schemas import GradedResponseDetailOut
from grading.selectors import graded_responses_for
from notifications.selectors import notifications_of
from readiness.models import DomainAbility, MockExamPrediction, ReadinessSnapshot

EXPORT_FORMAT = "coderacademy-learner-data"


def _row(instance: Model, *names: str) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}


def _profile(user) -> dict:
    return {
        **_row(user, "email", "display_name", "date_joined", "last_login"),
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "email_addresses": [
            _row(address, "email", "verified", "primary")
            for address in EmailAddress.objects.filter(user=user)
        ],
        # Which second factors are on, never their secrets.
        "two_factor": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
    }


def _courses(user) -> list[dict]:
    progress = LessonProgress.objects.filter(enrolment__learner=user).select_related(
        "lesson"
    )
    checks = CheckResult.objects.filter(progress__enrolment__learner=user)
    checks_by_progress: dict[int, list[dict]] = {}
    for check in checks:
        checks_by_progress.setdefault(check.progress_id, []).append(
            _row(
                check,
                "check_id",
                "attempts",
                "first_points",
                "correct_on",
                "max_points",
                "passed",
                "last_response",
                "last_feedback",
                "last_answered_at",
            )
        )
    lessons_by_enrolment: dict[int, list[dict]] = {}
    for row in progress:
        lessons_by_enrolment.setdefault(row.enrolment_id, []).append(
            {
                "lesson": row.lesson.title,
                **_row(row, "first_viewed_at", "completed_at", "completed_by"),
                "checks": checks_by_progress.get(row.pk, []),
            }
        )
    return [
        {
            "course": enrolment.course.title,
            **_row(enrolment, "enrolled_at", "last_activity_at", "completed_at"),
            "lessons": lessons_by_enrolment.get(enrolment.pk, []),
        }
        for enrolment in Enrolment.objects.filter(learner=user).select_related("course")
    ]


def _case_attempts(user) -> list[dict]:
    rows = []
    for attempt in CaseAttempt.objects.filter(learner=user).select_related("case"):
        result, withheld = attempt_feedback(attempt, viewer=user)
        rows.append(
            {
                "case": attempt.case.title,
                "case_slug": attempt.case.slug,
                **_row(attempt, "started_at", "submitted_at", "time_spent", "response"),
                "result": result,
                "withheld_reason": withheld,
            }
        )
    return rows


def _billing_attempts(user) -> list[dict]:
    """The learner's billing work: claims as typed, predictions, postings, the
    payer's answers, denials worked and appeals with the instructor's scores.
    Grades are in `graded_responses`, as every graded answer is."""
    attempt_fields = (
        "started_at",
        "submitted_at",
        "claim",
        "scrub_edits",
        "prediction",
        "posting",
        "claim_number",
        "remittance",
        "era",
    )
    work_fields = (
        "line_number",
        "category",
        "action",
        "worked_at",
        "appeal_letter",
        "appeal_submitted_at",
        "appeal_checks",
        "rubric_scores",
        "rubric_comment",
        "scored_at",
    )
    return [
        {
            "scenario": attempt.scenario.title,
            "scenario_slug": attempt.scenario.slug,
            **_row(attempt, *attempt_fields),
            "denials": [_row(work, *work_fields) for work in attempt.denials.all()],
        }
        for attempt in billing_attempts_of(user)
    ]


def _exam_attempts(user) -> list[dict]:
    rows = []
    attempts = Attempt.objects.filter(learner=user).select_related("blueprint")
    for attempt in attempts.prefetch_related("items__question"):
        results = attempt_results(attempt)
        score = {
            name: results.get(name)
            for name in ("points", "max_points", "percent", "scaled_score", "passed")
        }
        rows.append(
            {
                "exam": attempt.blueprint.name,
                **_row(
                    attempt,
                    "number",
                    "status",
                    "started_at",
                    "deadline",
                    "finished_at",
                    "submitted_by",
                ),
                "score_visible": results["score_visible"],
                "score": score if results["score_visible"] else None,
                "answers": [
                    {
                        "position": item.position,
                        "question": item.question.slug,
                        **_row(
                            item,
                            "response",
                            "flagged",
                            "saved_at",
                            "time_spent_seconds",
                        ),
                    }
                    for item in attempt.items.all()
                ],
            }
        )
    return rows


def _accommodations(user) -> list[dict]:
    return [
        {
            "exam": row.blueprint.name if row.blueprint else None,
            **_row(row, "extra_minutes", "extra_attempts", "note", "created_at"),
            "time_multiplier": float(row.time_multiplier),
        }
        for row in Accommodation.objects.filter(learner=user).select_related(
            "blueprint"
        )
    ]


def _readiness(user) -> dict:
    snapshots = ReadinessSnapshot.objects.filter(learner=user).select_related(
        "certification"
    )
    abilities = DomainAbility.objects.filter(learner=user).select_related("domain")
    return {
        "snapshots": [
            {
                "certification": row.certification.abbreviation,
                **_row(
                    row,
                    "day",
                    "predicted",
                    "low",
                    "high",
                    "pass_probability",
                    "items_needed",
                    "responses",
                ),
            }
            for row in snapshots
        ],
        "domains": [
            {
                "domain": row.domain.slug,
                **_row(row, "expected", "low", "high", "responses"),
            }
            for row in abilities
        ],
        "mock_exam_predictions": [
            {
                "certification": row.certification.abbreviation,
                "attempt": row.attempt_id,
                **_row(
                    row,
                    "sat_at",
                    "predicted",
                    "low",
                    "high",
                    "pass_probability",
                    "score",
                    "passed",
                ),
            }
            for row in MockExamPrediction.objects.filter(learner=user).select_related(
                "certification"
            )
        ],
    }


def invitations_addressed_to(user) -> QuerySet[Invitation]:
    """Class invitations sent to one of the user's verified email addresses,
    pending or accepted (an address nobody has proved to own is not theirs)."""
    emails = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    addressed = Q(pk__in=[])
    for email in emails:
        addressed |= Q(email__iexact=email)
    return Invitation.objects.filter(addressed)


def _classes(user) -> dict:
    memberships = Membership.objects.filter(learner=user).select_related("cohort")
    invitations = invitations_addressed_to(user).select_related("cohort")
    return {
        "memberships": [
            {"class": row.cohort.name, "joined_at": row.joined_at}
            for row in memberships
        ],
        "invitations": [
            {
                "class": row.cohort.name,
                **_row(row, "email", "created_at", "accepted_at"),
            }
            for row in invitations
        ],
    }


def _disputes(user) -> list[dict]:
    return [
        {
            "item": row.graded_response.item_title,
            **_row(
                row,
                "line_label",
                "learner_answer",
                "key_answer",
                "feedback",
                "reason",
                "citation",
                "status",
                "ruling",
                "ruled_at",
                "created_at",
            ),
        }
        for row in disputes_of(user)
    ]


def _notifications(user) -> list[dict]:
    return [
        _row(row, "subject", "body", "url", "created_at", "read_at")
        for row in notifications_of(user)
    ]


def learner_data(user) -> dict:
    """Everything the site holds about `user`, as JSON-ready values (dates as
    datetime objects; the view encodes them)."""
    graded = [
        GradedResponseDetailOut.from_orm(row).model_dump()
        for row in graded_responses_for(user)
    ]
    return {
        "format": EXPORT_FORMAT,
        "version": 1,
        "exported_at": timezone.now(),
        "profile": _profile(user),
        "courses": _courses(user),
        "case_attempts": _case_attempts(user),
        "billing_attempts": _billing_attempts(user),
        "exam_attempts": _exam_attempts(user),
        "exam_accommodations": _accommodations(user),
        "graded_responses": graded,
        "readiness": _readiness(user),
        "classes": _classes(user),
        "disputes": _disputes(user),
        "notifications": _notifications(user),
    }


def dashboard_context(user) -> dict | None:
    return {} if user.is_authenticated else None
