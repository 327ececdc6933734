"""The demo learner's practice history, made through the real services: case
attempts graded by `case_studies.services.attempt_submit` and knowledge checks
by `courses.services.knowledge_check_submit`, each recorded in the grading
ledger, from which readiness is computed.

The learner is strong in some domains and shaky in others (answers drop or
change a code there), and the activity is spread over the last weeks so that
the history plot has a shape. The ledger has no way to record past activity, so
the demo moves the times of the rows it made back: this is only done here.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from grading.engine import parse_key, response_from_key, response_to_dict
from grading.models import GradedResponse

DEMO_LEARNER = "learner@demo.coderacademy.test"
WEAK_WORDS = ("musculoskeletal", "anesthesia", "hcpcs", "reimbursement")
DAYS = 28
SEED = 2026


def _weak(domains) -> bool:
    return any(word in d.name.lower() for d in domains for word in WEAK_WORDS)


def case_response(key: dict, *, weak: bool, rng: random.Random) -> dict:
    """The key's own answer, with a line left out in a weak domain (mostly) or a
    strong one (rarely), when the case has a section with more than one line."""
    response = response_to_dict(response_from_key(parse_key(key)))
    # Service lines point at diagnoses by position: drop a diagnosis only when
    # nothing points at it.
    droppable = ["procedures", "service_lines"]
    if not response.get("service_lines"):
        droppable.append("diagnoses")
    sections = [s for s in droppable if len(response.get(s) or []) > 1]
    if sections and rng.random() < (0.7 if weak else 0.15):
        response[rng.choice(sections)].pop()
    return response


def practise_cases(learner, rng: random.Random) -> list[int]:
    from case_studies.models import CaseAttempt
    from case_studies.selectors import published_cases
    from case_studies.services import attempt_start, attempt_submit

    done = set(
        CaseAttempt.objects.filter(
            learner=learner, submitted_at__isnull=False
        ).values_list("case_id", flat=True)
    )
    rows = []
    for case in published_cases():
        if case.pk in done:
            continue
        response = case_response(case.key_data, weak=_weak(case.domains.all()), rng=rng)
        attempt = attempt_submit(
            attempt=attempt_start(learner=learner, case=case), response=response
        )
        rows.append(attempt.graded_response_id)
    return rows


def practise_checks(learner, rng: random.Random) -> list[int]:
    from courses.models import CheckResult, CoursePage
    from courses.services import enrolment_create, knowledge_check_submit

    before = set(
        GradedResponse.objects.filter(
            learner=learner, source=GradedResponse.Source.KNOWLEDGE_CHECK
        ).values_list("pk", flat=True)
    )
    for course in CoursePage.objects.live().order_by("path"):
        enrolment = enrolment_create(learner=learner, course=course)
        answered = set(
            CheckResult.objects.filter(progress__enrolment=enrolment).values_list(
                "progress__lesson_id", "check_id"
            )
        )
        for lesson in course.lessons():
            weak = _weak(lesson.domains.all())
            for check_id, (kind, check) in lesson.checks().items():
                if kind != "knowledge_check" or (lesson.pk, check_id) in answered:
                    continue
                options = [o["option_id"] for o in check["options"]]
                right = [o["option_id"] for o in check["options"] if o["correct"]]
                if rng.random() < (0.55 if weak else 0.85):
                    chosen = right if check["kind"] != "single" else right[:1]
                else:
                    chosen = [o for o in options if o not in right][:1] or options[:1]
                knowledge_check_submit(
                    enrolment=enrolment,
                    lesson=lesson,
                    check_id=check_id,
                    data={"chosen": chosen},
                )
    return sorted(
        set(
            GradedResponse.objects.filter(
                learner=learner, source=GradedResponse.Source.KNOWLEDGE_CHECK
            ).values_list("pk", flat=True)
        )
        - before
    )


def spread_over_time(row_ids: list[int], rng: random.Random) -> None:
    """Older rows first: the demo's practice runs over the last `DAYS` days."""
    now = timezone.now()
    count = len(row_ids)
    for index, pk in enumerate(row_ids):
        days_ago = DAYS * (1 - (index + 1) / count)
        moment = now - timedelta(days=days_ago, minutes=rng.randint(0, 600))
        GradedResponse.objects.filter(pk=pk).update(graded_at=min(moment, now))


def demo_learner():
    return get_user_model().objects.filter(email=DEMO_LEARNER).first()
