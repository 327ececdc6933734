"""Exam work behind bulk work: how long after its schedule the beat sweep runs
while 1,000 graded items' worth of readiness updates wait in the queues.

A thousand practice answers (25 learners × 40) are recorded in the ledger and one
readiness update per answer is queued on `bulk` (the shape every graded item had
before exam grading was batched per attempt, and what a burst of practice still
queues). Real Celery worker processes then drain it, and once they are busy the
sweep is published as beat publishes it; the figure is the time from publishing
to the expired attempt being finalised (and then graded). Three layouts:

- one queue: the sweep queued behind the backlog, as when every task shared one
  queue (the layout before issue #21);
- embedded default: one worker `-Q exams,bulk --concurrency=2` (the Procfile);
- production: a worker for `exams` alone beside a worker for `bulk`.

Target: the sweep runs within 5 s of its schedule in both new layouts.

PostgreSQL: `QUEUES_BENCH_POSTGRES` (default
postgres://postgres@127.0.0.1:5432/coderacademy_bench_queues, created if missing).
Redis (the broker): `QUEUES_BENCH_REDIS` (default redis://127.0.0.1:6379/11,
emptied first). Both are needed: the embedded filesystem broker is not what an
exam day runs on. Every wait is bounded; the script stops by itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from io import StringIO
from pathlib import Path

from bench_exams import postgres_ensure, redis_flushed

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/coderacademy_bench_queues"
REDIS_DEFAULT = "redis://127.0.0.1:6379/11"
LEARNERS = 25
ITEMS_PER_LEARNER = 40
# Bulk tasks the workers must have taken before the sweep is published, so that it
# lands on busy workers with the backlog still queued.
WARM_UP_TASKS = 20
TARGET_SECONDS = 5.0
WAIT_SECONDS = 180.0
# The layout before issue #21 is only watched this long: the sweep there waits for
# the whole backlog, minutes on two processes.
BEFORE_CAP_SECONDS = 60.0
POLL_SECONDS = 0.02


@dataclass
class Layout:
    name: str
    workers: list[str]  # the -Q of each worker process
    sweep_queue: str
    wait_seconds: float = WAIT_SECONDS


LAYOUTS = [
    Layout("one queue (before)", ["exams,bulk"], "bulk", BEFORE_CAP_SECONDS),
    Layout("embedded default", ["exams,bulk"], "exams"),
    Layout("production", ["exams", "bulk"], "exams"),
]


@dataclass
class Result:
    layout: Layout
    finalised_after: float | None  # None: not within the layout's wait
    graded_after: float | None
    backlog_at_sweep: int
    backlog_when_finalised: int


def main() -> None:
    sys.path.insert(0, str(ROOT))
    postgres = os.environ.get("QUEUES_BENCH_POSTGRES", POSTGRES_DEFAULT)
    redis_url = os.environ.get("QUEUES_BENCH_REDIS", REDIS_DEFAULT)
    if not postgres_ensure(postgres) or not redis_flushed(redis_url):
        print(f"Needs PostgreSQL ({postgres}) and Redis ({redis_url}): skipped.")
        return
    os.environ["DATABASE_URL"] = postgres
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coderacademy.settings.dev")
    import django

    django.setup()
    print("-- PostgreSQL + Redis: preparing ...", flush=True)
    response_ids = prepare()
    task_ms = one_update_ms(response_ids[0])
    results = [measure(layout, response_ids) for layout in LAYOUTS]
    print_report(results, len(response_ids), task_ms)


def prepare() -> list[int]:
    """Migrate, record the graded answers (without queueing their updates) and
    load a small exam to sweep; the ids of the graded responses."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from certifications.models import Domain
    from grading.factories import ExamItemResponseFactory
    from grading.models import GradedResponse
    from grading.signals import response_graded

    call_command("migrate", verbosity=0)
    call_command(
        "load_demo_exams", path=ROOT / "tests" / "exams" / "data", stdout=StringIO()
    )
    User = get_user_model()
    domains = list(Domain.objects.filter(certification__slug="cpc").order_by("pk"))
    # The updates are queued by the benchmark itself, all at once.
    response_graded.disconnect(dispatch_uid="readiness_queue_update")
    for n in range(LEARNERS):
        learner, _ = User.objects.get_or_create(email=f"bench-queues-{n}@example.test")
        for k in range(ITEMS_PER_LEARNER):
            ExamItemResponseFactory(
                learner=learner,
                attempt_ref=f"bench-queues:{n}:{k}",
                domains=[domains[k % len(domains)]],
                points=float(k % 3 != 0),
                item_id=str(k),
                item_type="case_study",
                source=GradedResponse.Source.PRACTICE_CASE,
            )
    return list(
        GradedResponse.objects.filter(attempt_ref__startswith="bench-queues:")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def one_update_ms(response_id: int) -> float:
    """One readiness update run here first: a backlog of failing tasks (each
    retried later) would drain at once and measure nothing."""
    from readiness.services import readiness_update_for_response

    started = time.perf_counter()
    readiness_update_for_response(graded_response_id=response_id)
    return (time.perf_counter() - started) * 1000


def expired_attempt(name: str):
    """A fresh attempt at the small test exam, its deadline an hour ago."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from exams.models import Attempt, Blueprint
    from exams.services import attempt_start

    learner, _ = get_user_model().objects.get_or_create(
        email=f"bench-sweep-{name.split()[0]}@example.test"
    )
    Attempt.objects.filter(learner=learner).delete()
    attempt = attempt_start(
        learner=learner, blueprint=Blueprint.objects.get(slug="test-cpc")
    )
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timedelta(hours=1)
    )
    return attempt


def measure(layout: Layout, response_ids: list[int]) -> Result:
    from django.db import connection

    from coderacademy.celery import app
    from exams.models import Attempt
    from readiness.tasks import readiness_update_task

    attempt = expired_attempt(layout.name)
    backlog = redis_client()
    backlog.delete("bulk", "exams")
    with app.producer_or_acquire() as producer:
        for response_id in response_ids:
            readiness_update_task.apply_async((response_id,), producer=producer)
    queued = backlog.llen("bulk")
    workers = [worker_start(queues, layout) for queues in layout.workers]
    try:
        if not wait_for(lambda: backlog.llen("bulk") <= queued - WARM_UP_TASKS):
            raise SystemExit("the workers took no task")
        scheduled = time.monotonic()
        at_sweep = backlog.llen("bulk")
        app.send_task(
            "exams.tasks.attempts_finalise_expired_task", queue=layout.sweep_queue
        )
        rows = Attempt.objects.filter(pk=attempt.pk)

        def status() -> str:
            return rows.values_list("status", flat=True)[0]

        finalised = graded = None
        if wait_for(lambda: status() != "in_progress", layout.wait_seconds):
            finalised = time.monotonic() - scheduled
        when_finalised = backlog.llen("bulk")
        if finalised and wait_for(lambda: status() == "graded", layout.wait_seconds):
            graded = time.monotonic() - scheduled
    finally:
        backlog.delete("bulk")
        for worker in workers:
            worker_stop(worker)
        connection.close()
    result = Result(layout, finalised, graded, at_sweep, when_finalised)
    print(
        f"   {layout.name}: finalised {seconds(finalised, layout)}, graded "
        f"{seconds(graded, layout)} after the schedule; {at_sweep} bulk tasks "
        "queued then",
        flush=True,
    )
    return result


def seconds(value: float | None, layout: Layout) -> str:
    return f"> {layout.wait_seconds:.0f} s" if value is None else f"{value:.2f} s"


def estimate(result: Result) -> str:
    """For a sweep still queued when watching stopped: when it would have run, at
    the rate the backlog ahead of it drained meanwhile."""
    drained = result.backlog_at_sweep - result.backlog_when_finalised
    if result.finalised_after is not None or drained <= 0:
        return ""
    rate = drained / result.layout.wait_seconds
    return f" (≈ {result.backlog_at_sweep / rate:.0f} s at {rate:.1f} tasks/s)"


def redis_client():
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"])


def worker_start(queues: str, layout: Layout) -> subprocess.Popen:
    # Two processes in all, as on the machine the issue measured.
    concurrency = 2 if len(layout.workers) == 1 else 1
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "coderacademy",
            "worker",
            f"-Q{queues}",
            f"--concurrency={concurrency}",
            f"--hostname=bench-{queues.replace(',', '-')}@%h",
            "--loglevel=error",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "false"},
        stdout=subprocess.DEVNULL,
    )


def worker_stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def wait_for(condition, seconds: float = WAIT_SECONDS) -> bool:
    """True once `condition()` holds, False if it did not within `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


def print_report(results: list[Result], items: int, task_ms: float) -> None:
    print(
        f"\n{items} graded items' readiness updates queued on `bulk` "
        f"(one takes {task_ms:.0f} ms run alone)"
    )
    print("| layout | sweep finalised after | graded after | bulk queued at sweep |")
    print("|---|---|---|---|")
    for r in results:
        print(
            f"| {r.layout.name} | {seconds(r.finalised_after, r.layout)}{estimate(r)} "
            f"| {seconds(r.graded_after, r.layout)} "
            f"| {r.backlog_at_sweep} → {r.backlog_when_finalised} |"
        )
    met = all(
        r.finalised_after is not None and r.finalised_after <= TARGET_SECONDS
        for r in results
        if r.layout.sweep_queue == "exams"
    )
    print(
        f"Target: the sweep within {TARGET_SECONDS:.0f} s of its schedule: "
        + ("met" if met else "NOT met")
    )


if __name__ == "__main__":
    main()
