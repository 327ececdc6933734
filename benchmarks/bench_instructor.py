"""The instructor's pages for a class of 200 learners and a 100-question mock exam:
the gradebook (200 learners x 20 assignments), one learner's answer, the CSV and
XLSX exports, the exam's item analysis (200 learners x 100 items) and the
instructor's dashboard; median of repeated requests against the 300 ms target.
The item analysis page shows a stored snapshot; computing it runs in Celery and
is timed on its own.

The class is the demo class that `make setup` loads ("CPC evening cohort —
demo", 22 learners whose work went through the real services), grown to 200 on a
copy of the demo database: each added learner gets a copy of one demo learner's
exam attempt (its 100 items and ledger rows) and case attempts, under their own
ids, and the class gets 16 more case assignments. Copies keep the page's work
the same as real rows would (the same number of rows, of the same shape); they
do not make the statistics more varied than the 22 learners they copy.

Run: .venv/bin/python benchmarks/bench_instructor.py  (after `make setup`)
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LEARNERS = int(os.environ.get("BENCH_LEARNERS", 200))
ASSIGNMENTS = 20
TARGET_MS = 300.0
ROUNDS = 15
COHORT_NAME = "CPC evening cohort — demo"
INSTRUCTOR = "instructor@demo.coderacademy.test"


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _copied(model, rows, **changes):
    """Unsaved copies of `rows` with `changes` (values or functions of the row)."""
    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    copies = []
    for row in rows:
        values = {name: getattr(row, name) for name in names}
        for name, change in changes.items():
            values[name] = change(row) if callable(change) else change
        copies.append(model(**values))
    return copies


def grow_class(cohort, size: int) -> int:
    """Add learners to `cohort` until it has `size`, each with a copy of one
    demo learner's exam and case attempts and their ledger rows."""
    from django.contrib.auth import get_user_model

    from case_studies.models import CaseAttempt
    from cohorts.models import Membership
    from exams.models import Attempt, AttemptItem
    from exams.selectors import ledger_ref_prefix
    from grading.models import GradedResponse

    members = Membership.objects.filter(cohort=cohort)
    # Learners who sat the exam, so that every copy adds a row to its analysis.
    sources = list(
        get_user_model()
        .objects.filter(
            pk__in=members.values("learner_id"), exam_attempts__isnull=False
        )
        .distinct()
    )
    missing = size - members.count()
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            email=f"bench{n:03d}@example.test",
            display_name=f"Bench Learner {n:03d}",
        )
        for n in range(missing)
    )
    Membership.objects.bulk_create(
        Membership(cohort=cohort, learner=user) for user in users
    )
    Through = GradedResponse.domains.through
    for n, user in enumerate(users):
        source = sources[n % len(sources)]
        for attempt in Attempt.objects.filter(learner=source):
            [copy] = Attempt.objects.bulk_create(
                _copied(Attempt, [attempt], learner_id=user.pk)
            )
            items = list(AttemptItem.objects.filter(attempt=attempt))
            new_items = AttemptItem.objects.bulk_create(
                _copied(AttemptItem, items, attempt_id=copy.pk)
            )
            old_prefix = ledger_ref_prefix(attempt.pk)
            new_prefix = ledger_ref_prefix(copy.pk)
            new_item_of = {
                old.pk: new.pk for old, new in zip(items, new_items, strict=True)
            }
            _copy_ledger(
                GradedResponse.objects.filter(attempt_ref__startswith=old_prefix),
                user,
                lambda ref, old=old_prefix, new=new_prefix, items=new_item_of: (
                    f"{new}{items[int(ref.removeprefix(old))]}"
                ),
                Through,
            )
        for attempt in CaseAttempt.objects.filter(
            learner=source, graded_response__isnull=False
        ).select_related("graded_response"):
            [row] = _copy_ledger(
                [attempt.graded_response],
                user,
                lambda ref, n=n: f"bench-{n}-{ref}",
                Through,
            )
            CaseAttempt.objects.bulk_create(
                _copied(
                    CaseAttempt,
                    [attempt],
                    learner_id=user.pk,
                    graded_response_id=row.pk,
                )
            )
    return missing


def _copy_ledger(rows, user, new_ref, through):
    from grading.models import GradedResponse

    rows = list(rows)
    copies = GradedResponse.objects.bulk_create(
        _copied(
            GradedResponse,
            rows,
            learner_id=user.pk,
            attempt_ref=lambda row: new_ref(row.attempt_ref),
        )
    )
    domains = through.objects.filter(gradedresponse_id__in=[r.pk for r in rows])
    domain_ids: dict[int, list[int]] = {}
    for link in domains:
        domain_ids.setdefault(link.gradedresponse_id, []).append(link.domain_id)
    through.objects.bulk_create(
        through(gradedresponse_id=copy.pk, domain_id=domain_id)
        for row, copy in zip(rows, copies, strict=True)
        for domain_id in domain_ids.get(row.pk, [])
    )
    return copies


def add_case_assignments(cohort, instructor, count: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from case_studies.selectors import published_cases
    from cohorts.models import Assignment
    from cohorts.services import assignment_create

    assigned = set(
        Assignment.cases.through.objects.filter(assignment__cohort=cohort).values_list(
            "casestudypage_id", flat=True
        )
    )
    now = timezone.now()
    cases = [case for case in published_cases() if case.pk not in assigned][:count]
    for number, case in enumerate(cases):
        assignment = assignment_create(
            cohort=cohort,
            created_by=instructor,
            kind=Assignment.Kind.CASE,
            title=case.title,
            instructions="",
            cases=[case],
            due_at=now + timedelta(days=1),
        )
        # Set a month ago, so the copied attempts count towards it; due over the
        # weeks around now, so cells are submitted, late, missing or not due.
        Assignment.objects.filter(pk=assignment.pk).update(
            assigned_at=now - timedelta(days=30),
            due_at=now + timedelta(days=number - 8),
        )


def timed(client, url: str) -> tuple[float, int]:
    client.get(url)
    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(1000 * (time.perf_counter() - started))
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), len(response.content)


def run() -> bool:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from cohorts.models import Assignment, Cohort
    from item_analysis.selectors import exam_scope
    from item_analysis.services import snapshot_recompute
    from tests.support.accounts import log_in_with_two_factor

    instructor = get_user_model().objects.get(email=INSTRUCTOR)
    cohort = Cohort.objects.get(name=COHORT_NAME)
    exam = Assignment.objects.get(cohort=cohort, kind=Assignment.Kind.EXAM)
    started = time.perf_counter()
    added = grow_class(cohort, LEARNERS)
    existing = Assignment.objects.filter(cohort=cohort).count()
    add_case_assignments(cohort, instructor, ASSIGNMENTS - existing)
    print(
        f"Class grown to {cohort.memberships.count()} learners (+{added} copies), "
        f"{Assignment.objects.filter(cohort=cohort).count()} assignments, in "
        f"{time.perf_counter() - started:.1f} s"
    )
    scope = exam_scope(exam.blueprint.slug)
    started = time.perf_counter()
    snapshot = snapshot_recompute(scope=scope)
    compute_s = time.perf_counter() - started
    print(
        f"Item analysis of {exam.blueprint.name}: {snapshot.data['test']['learners']} "
        f"learners x {len(snapshot.data['items'])} items computed in "
        f"{compute_s:.2f} s (a Celery task)"
    )
    client = log_in_with_two_factor(Client(), instructor)
    learner = cohort.memberships.order_by("pk").first().learner
    pages = {
        "gradebook": f"/gradebook/{cohort.pk}/",
        "one learner's exam answers": (
            f"/gradebook/{cohort.pk}/learners/{learner.pk}/assignments/{exam.pk}/"
        ),
        "export CSV": f"/gradebook/{cohort.pk}/export.csv",
        "export XLSX": f"/gradebook/{cohort.pk}/export.xlsx",
        "item analysis (exam)": f"/item-analysis/exams/{exam.blueprint.slug}/",
        "item analysis (index)": "/item-analysis/",
        "instructor dashboard": "/dashboard/",
        "class page": f"/classes/{cohort.pk}/",
    }
    ok = True
    print(f"{'page':<28} {'median ms':>10} {'kB':>8}")
    for name, url in pages.items():
        median, size = timed(client, url)
        met = median <= TARGET_MS
        ok = ok and met
        print(
            f"{name:<28} {median:>10.1f} {size / 1024:>8.0f}"
            f"  {'OK' if met else 'MISSED'}"
        )
    print(f"Target: median <= {TARGET_MS:.0f} ms for every page")
    return ok


def main() -> int:
    source = ROOT / "db.sqlite3"
    if not source.exists():
        print("No demo database: run `make setup` first.")
        return 1
    print(
        f"Machine: {platform.platform()}, {cpu_name()}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f}"
    )
    workdir = Path(tempfile.mkdtemp(prefix="bench-instructor-"))
    try:
        shutil.copy(source, workdir / "db.sqlite3")
        # The test settings: no debug toolbar, tasks queued to a throwaway broker
        # folder (never to the demo's worker), on a copy of the demo database.
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "coderacademy.settings.test"
        import django

        django.setup()
        from django.test.utils import setup_test_environment

        setup_test_environment()
        return 0 if run() else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
