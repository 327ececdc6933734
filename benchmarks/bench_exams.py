"""Mock-exam load benchmark: gunicorn + PostgreSQL on this machine, the load
generator beside it.

(a) A ladder of simulated learners (default 100, 250, 500, 1000, 1500, 2000) who
    all start the same 100-question exam within START_WINDOW seconds, open a
    question page, save an answer every SAVE_INTERVAL seconds (with jitter) for
    SAVE_PHASE seconds as the page's script does (the question's form posted to
    its page, asking for JSON), then submit. p50/p95/p99 per action and CPU per process
    group (gunicorn, PostgreSQL, Redis, celery, the load generator, the rest of
    the machine) at every step, so the knee shows; and a check of every
    acknowledged save against the database.
(b) Saves at full speed, from the page as browsers send them and through the
    API, and the authenticated trivial endpoint `PUT /api/exams/ping` (same
    middleware and session, no query of its own) as the ceiling, in the same run.
(c) Each fast path against the plain version it replaces (`plain_paths.py`): saves
    at full speed on a fresh server per variant, the fast one first and last.
(d) gunicorn's CPU per request (start, page, save, ping) and saves at full speed
    per variant, servers taking turns: this checkout, each layout of
    `EXAMS_BENCH_LAYOUTS` (e.g. "sync:5,gevent:2x8")
    and, for before and after, the checkout of an earlier commit at
    `EXAMS_BENCH_BASELINE` in `EXAMS_BENCH_BASELINE_LAYOUT`. Each gunicorn thread
    or greenlet holds a PostgreSQL connection: keep the variants' sum of them
    under the server's max_connections.

Targets: 2,000 starts within 60 s with start p95 <= 500 ms and save p99 <= 100 ms;
full-speed saves from the page >= 70% of the ceiling; zero lost answers; every fast
path >= 20% more saves per second than its plain version.

PostgreSQL: `EXAMS_BENCH_POSTGRES` (default
postgres://postgres@127.0.0.1:5432/coderacademy_bench_exams, created if missing);
without it, SQLite with the ladder cut to 100 learners. Redis for sessions, cache
and broker, as in production: `EXAMS_BENCH_REDIS` (default
redis://127.0.0.1:6379/12, emptied first); without it, the database.
`EXAMS_BENCH_LADDER` (e.g. "100,250"), `EXAMS_BENCH_SAVE_PHASE` and
`EXAMS_BENCH_START_WINDOW` (seconds) shorten a run ("none" as the ladder skips
it); `EXAMS_BENCH_LAYOUT` sizes gunicorn (`class:WORKERSxTHREADS`, default
LAYOUT). Every phase is bounded in time; the script stops by itself.
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.gunicorn import gunicorn_start, gunicorn_stop  # noqa: E402

POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/coderacademy_bench_exams"
REDIS_DEFAULT = "redis://127.0.0.1:6379/12"
CPC_DOMAINS = [
    "cpc-surgery-10000",
    "cpc-surgery-20000",
    "cpc-surgery-30000",
    "cpc-surgery-40000",
    "cpc-surgery-50000",
    "cpc-surgery-60000",
    "cpc-evaluation-management",
    "cpc-anesthesia",
    "cpc-radiology",
    "cpc-laboratory-pathology",
    "cpc-medicine",
    "cpc-medical-terminology",
    "cpc-anatomy",
    "cpc-icd-10-cm",
    "cpc-hcpcs-level-ii",
    "cpc-coding-guidelines",
    "cpc-compliance-regulatory",
]
QUESTIONS = 100
START_WINDOW = 60.0
SAVE_INTERVAL = 30.0
FULL_SPEED_SECONDS = 15.0
FULL_SPEED_CLIENTS = 16
COMPARE_ROUNDS = 4
# Each fast path that bypasses Django, by the name plain_paths.py knows it.
FAST_PATHS = {
    "save": "the save's two SQL statements (exams/item_writes.py)",
    "user": "the user query compiled once (accounts/backends.py)",
}
# What the full-speed phase measures, by the recorder's action names.
FULL_SPEED_ACTIONS = {
    "page save": "save from the page (as browsers send it)",
    "save": "save through the API",
    "ping": "ping (ceiling)",
}
POOL = 96
CSRF = "b" * 32
# gunicorn's layout for every phase but the comparison of layouts (docs/exams.md).
LAYOUT = "gthread:3x8"
WORKER_CLASSES = {
    "sync": "sync",
    "gthread": "gthread",
    "gevent": "gevent",
    "uvicorn": "uvicorn.workers.UvicornWorker",
}
PER_WORKER = {"gthread": "threads", "gevent": "worker-connections"}
# CPU per request: learners who start, open a page and save, per variant and turn.
CPU_LEARNERS = 40
CPU_SAVES = 4
CPU_CLIENTS = 4


def main() -> None:
    load_before = " / ".join(f"{n:.2f}" for n in os.getloadavg())
    postgres = os.environ.get("EXAMS_BENCH_POSTGRES", POSTGRES_DEFAULT)
    if postgres_ensure(postgres):
        database_url, vendor = postgres, "PostgreSQL"
        ladder = [100, 250, 500, 1000, 1500, 2000]
    else:
        path = ROOT / "var" / "bench" / "exams.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob("exams.sqlite3*"):
            stale.unlink()
        database_url, vendor = f"sqlite:///{path}", "SQLite"
        ladder = [100]
        print(f"PostgreSQL at {postgres} does not answer: SQLite, 100 learners only.")
    if os.environ.get("EXAMS_BENCH_LADDER") == "none":
        ladder = []
    elif os.environ.get("EXAMS_BENCH_LADDER"):
        ladder = [int(n) for n in os.environ["EXAMS_BENCH_LADDER"].split(",")]
    redis = os.environ.get("EXAMS_BENCH_REDIS", REDIS_DEFAULT)
    if redis_flushed(redis):
        # The production stack: sessions, cache and broker in Redis.
        os.environ["REDIS_URL"] = redis
        vendor += " + Redis"
    else:
        os.environ.pop("REDIS_URL", None)
        print(f"Redis at {redis} does not answer: sessions and cache in the database.")
    save_phase = float(os.environ.get("EXAMS_BENCH_SAVE_PHASE", "60"))
    window = float(os.environ.get("EXAMS_BENCH_START_WINDOW", START_WINDOW))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coderacademy.settings.dev")
    import django

    django.setup()
    print(f"-- {vendor}: preparing ...", flush=True)
    sessions = prepare(max(ladder + [FULL_SPEED_CLIENTS + CPU_LEARNERS]))
    from django.db import connections

    connections.close_all()
    with Server(database_url) as server:
        steps = [run_step(server, sessions[:n], window, save_phase) for n in ladder]
        attempts = full_speed_attempts(server, sessions)
        full = run_full_speed(server, sessions, attempts)
    compared = compare_fast_paths(database_url, sessions, attempts)
    layouts = compare_variants(database_url, sessions, attempts, server_variants())
    submit_all(database_url, sessions, attempts)
    print_report(vendor, server, steps, full, compared, layouts, load_before)


def server_variants() -> dict:
    """The servers `compare_variants` measures: this checkout in the layout of
    every phase, in each layout of `EXAMS_BENCH_LAYOUTS`, and the checkout at
    `EXAMS_BENCH_BASELINE` (an earlier commit, for before and after) in
    `EXAMS_BENCH_BASELINE_LAYOUT`."""
    layout = Layout.parse(os.environ.get("EXAMS_BENCH_LAYOUT", LAYOUT))
    variants = {
        str(layout): {"layout": layout},
    }
    for text in filter(None, os.environ.get("EXAMS_BENCH_LAYOUTS", "").split(",")):
        variants[str(Layout.parse(text))] = {"layout": Layout.parse(text)}
    if baseline := os.environ.get("EXAMS_BENCH_BASELINE"):
        layout = Layout.parse(os.environ.get("EXAMS_BENCH_BASELINE_LAYOUT", LAYOUT))
        variants[f"baseline {layout}"] = {"layout": layout, "root": Path(baseline)}
    return variants


def postgres_ensure(url: str) -> bool:
    """True if PostgreSQL answers; creates the benchmark database if missing."""
    try:
        import psycopg

        base, name = url.rsplit("/", 1)
        with psycopg.connect(
            f"{base}/postgres".replace("postgres://", "postgresql://"),
            connect_timeout=3,
            autocommit=True,
        ) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def redis_flushed(url: str) -> bool:
    """True if Redis answers at `url`; its database is emptied for the run."""
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=3).flushdb()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def prepare(learners: int) -> list[str]:
    """Migrate, load a 100-question exam and `learners` logged-in sessions."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from exams.loading import bank_import, blueprints_import
    from exams.models import Attempt

    call_command("migrate", verbosity=0)
    questions = [
        {
            "slug": f"bench-{n:03}",
            "kind": "single",
            "certification": "cpc",
            "domains": [CPC_DOMAINS[n % len(CPC_DOMAINS)]],
            "difficulty": "intermediate",
            "stem": f"<p>Benchmark question {n}: which option is right?</p>",
            "options": [
                {"id": oid, "text": f"Option {oid}", "correct": oid == "a"}
                for oid in "abcd"
            ],
            "reference": "",
        }
        for n in range(QUESTIONS)
    ]
    bank_import(
        {"format": "coderacademy-question-bank", "version": 1, "questions": questions}
    )
    blueprints_import(
        {
            "format": "coderacademy-blueprints",
            "version": 1,
            "blueprints": [
                {
                    "slug": "bench-100",
                    "name": "Benchmark exam (100 questions)",
                    "certification": "cpc",
                    "time_limit_minutes": 240,
                    "passing_rule": {"kind": "percent", "cut": 70},
                    "selection": "fixed",
                    "question_slugs": [q["slug"] for q in questions],
                    "shuffle_options": True,
                    "attempts_allowed": 1000,
                    "review_policy": "immediately",
                }
            ],
        }
    )
    User = get_user_model()
    emails = [f"bench-learner-{n}@example.test" for n in range(learners)]
    existing = set(
        User.objects.filter(email__in=emails).values_list("email", flat=True)
    )
    User.objects.bulk_create(
        User(email=email, password="!") for email in emails if email not in existing
    )
    Attempt.objects.filter(learner__email__in=emails).delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[0]
    keys = []
    for user in User.objects.filter(email__in=emails).order_by("pk"):
        session = store()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = backend
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


class Layout(NamedTuple):
    """How gunicorn serves: its worker class, the number of workers and, per
    worker, threads (gthread) or connections (gevent). Written as
    `class:WORKERSxTHREADS`, e.g. `gthread:3x8`, `sync:5`, `uvicorn:3`."""

    worker_class: str
    workers: int
    threads: int = 1

    @classmethod
    def parse(cls, text: str) -> Layout:
        worker_class, _, size = text.strip().partition(":")
        workers, _, threads = size.partition("x")
        return cls(worker_class, int(workers), int(threads or 1))

    def __str__(self) -> str:
        threads = f"x{self.threads}" if self.worker_class in PER_WORKER else ""
        return f"{self.worker_class}:{self.workers}{threads}"

    def options(self) -> list[str]:
        options = [
            f"--workers={self.workers}",
            f"--worker-class={WORKER_CLASSES[self.worker_class]}",
        ]
        if self.worker_class in PER_WORKER:
            options.append(f"--{PER_WORKER[self.worker_class]}={self.threads}")
        return options

    @property
    def app(self) -> str:
        if self.worker_class == "uvicorn":
            return "coderacademy.asgi:application"
        return "coderacademy.wsgi:application"


class Server:
    """gunicorn on a free 127.0.0.1 port for the duration of a block, serving the
    checkout at `root` in `layout`; `plain` names the fast paths its workers
    replace with their plain versions."""

    def __init__(
        self,
        database_url: str,
        plain: str = "",
        layout: Layout | None = None,
        root: Path = ROOT,
    ) -> None:
        self.database_url = database_url
        self.plain = plain
        self.layout = layout or Layout.parse(
            os.environ.get("EXAMS_BENCH_LAYOUT", LAYOUT)
        )
        self.root = root

    def __enter__(self) -> Server:
        self.process, self.port = gunicorn_start(
            self.database_url,
            [
                *self.layout.options(),
                "--backlog=2048",
                "--keep-alive=75",
                f"--config={self.root / 'benchmarks' / 'plain_paths.py'}",
            ],
            # Any answer means it serves (healthz may report a missing worker).
            ready=lambda port: Client(port).request("GET", "/healthz"),
            timeout=180,
            env={"EXAMS_BENCH_PLAIN": self.plain},
            app=self.layout.app,
            root=self.root,
        )
        return self

    def __exit__(self, *exc) -> None:
        gunicorn_stop(self.process)

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


class Client:
    """One keep-alive connection; reconnects after an error."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        body=None,
        session: str | None = None,
        form: dict | None = None,
    ) -> tuple[int, bytes]:
        headers = {"Accept": "application/json"}
        if session:
            headers["Cookie"] = f"sessionid={session}; csrftoken={CSRF}"
            headers["X-CSRFToken"] = CSRF
        if body is not None:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        elif form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        reused = self.connection is not None
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=30
            )
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.connection = None
            # A kept-alive connection the server closed while idle: send once more
            # on a new one, as HTTP clients do.
            if reused and isinstance(error, http.client.RemoteDisconnected):
                return self.request(
                    method,
                    path,
                    None if body is None or form else json.loads(body),
                    session,
                    form,
                )
            raise


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.acknowledged: dict[tuple[int, int], tuple[int, str]] = {}

    def timed(self, action: str, client: Client, *args, ok=(200,), **kwargs):
        started = time.perf_counter()
        try:
            status, body = client.request(*args, **kwargs)
        except (OSError, http.client.HTTPException):
            status, body = 0, b""
        elapsed = time.perf_counter() - started
        with self.lock:
            if status in ok:
                self.times[action].append(elapsed)
            else:
                self.errors[action] += 1
        return status, body

    def ack(self, attempt: int, position: int, sequence: int, option: str) -> None:
        with self.lock:
            key = (attempt, position)
            if sequence > self.acknowledged.get(key, (0, ""))[0]:
                self.acknowledged[key] = (sequence, option)


def save_body(sequence: int, option: str) -> dict:
    return {"response": {"options": [option]}, "sequence": sequence}


def page_save(
    recorder,
    action: str,
    client: Client,
    attempt: int,
    position: int,
    sequence: int,
    option: str,
    session: str,
) -> int:
    """A save as the exam page's script sends it: the question's form, posted to
    the question's page asking for JSON; acknowledged saves are recorded."""
    status, _ = recorder.timed(
        action,
        client,
        "POST",
        f"/exams/attempts/{attempt}/questions/{position}/",
        session=session,
        form={"options": option, "sequence": sequence, "flag_shown": "1"},
    )
    if status == 200:
        recorder.ack(attempt, position, sequence, option)
    return status


def run_step(
    server: Server, sessions: list[str], window: float, save_phase: float
) -> dict:
    """All learners start within `window` seconds, then save every SAVE_INTERVAL."""
    n = len(sessions)
    print(f"-- {n} learners ...", flush=True)
    recorder = Recorder()
    rng = random.Random(n)
    events: list = []
    t0 = time.monotonic() + 1
    for index in range(n):
        heapq.heappush(events, (t0 + rng.uniform(0, window), index, "start"))
    end = t0 + window + save_phase
    state: dict[int, dict] = {}
    lock = threading.Lock()
    lateness: list[float] = []
    cpu = CpuSampler(server)

    def handle(at: float, index: int, action: str, client: Client) -> None:
        session = sessions[index]
        if action == "start":
            status, body = recorder.timed(
                "start",
                client,
                "POST",
                "/api/exams/bench-100/attempts",
                session=session,
            )
            if status != 200:
                return
            attempt = json.loads(body)
            state[index] = {"attempt": attempt["id"], "sequence": 0}
            recorder.timed(
                "page",
                client,
                "GET",
                f"/exams/attempts/{attempt['id']}/questions/1/",
                session=session,
            )
            schedule(at + rng.uniform(5, SAVE_INTERVAL), index, "save")
        elif action == "save":
            learner = state[index]
            learner["sequence"] += 1
            page_save(
                recorder,
                "save",
                client,
                learner["attempt"],
                rng.randint(1, QUESTIONS),
                learner["sequence"],
                rng.choice("abcd"),
                session,
            )
            schedule(at + SAVE_INTERVAL + rng.uniform(-5, 5), index, "save")

    def schedule(at: float, index: int, action: str) -> None:
        if at < end:
            with lock:
                heapq.heappush(events, (at, index, action))

    def worker() -> None:
        client = Client(server.port)
        while True:
            with lock:
                item = heapq.heappop(events) if events else None
            if item is None:
                if time.monotonic() >= end:
                    return
                time.sleep(0.05)
                continue
            at, index, action = item
            wait = at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            else:
                with lock:
                    lateness.append(-wait)
            handle(at, index, action, client)

    cpu.start()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(POOL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=end - time.monotonic() + 120)
    starts_done = time.monotonic()
    usage = cpu.stop()
    submit_client = Client(server.port)
    for index, learner in state.items():
        recorder.timed(
            "submit",
            submit_client,
            "POST",
            f"/api/exams/attempts/{learner['attempt']}/submit",
            session=sessions[index],
        )
    lost = lost_answers(recorder.acknowledged)
    return {
        "learners": n,
        "started": len(state),
        "recorder": recorder,
        "lost": lost,
        "cpu": usage,
        "late_p95": percentile(lateness, 95) if len(lateness) > 1 else 0.0,
        "seconds": starts_done - t0,
    }


def full_speed_attempts(server: Server, sessions: list[str]) -> list[int]:
    """The attempts the full-speed clients save into, one each."""
    client = Client(server.port)
    attempts = []
    for session in sessions[:FULL_SPEED_CLIENTS]:
        status, body = client.request(
            "POST", "/api/exams/bench-100/attempts", session=session
        )
        attempts.append(json.loads(body)["id"])
    return attempts


def burst(
    server: Server,
    sessions: list[str],
    attempts: list[int],
    action: str,
    recorder,
    seconds: float = FULL_SPEED_SECONDS,
) -> dict:
    """`action` ("save", "page save" or "ping") as fast as FULL_SPEED_CLIENTS
    clients can for `seconds`: requests answered 200, per second, and CPU per
    group."""
    cpu = CpuSampler(server)
    cpu.start()
    stop = time.monotonic() + seconds
    counts = [0] * FULL_SPEED_CLIENTS
    # Each burst numbers its saves above every earlier one of the run.
    first = time.time_ns() // 1000

    def run(slot: int) -> None:
        own = Client(server.port)
        sequence = first
        while time.monotonic() < stop:
            sequence += 1
            position = 1 + sequence % QUESTIONS
            option = "abcd"[sequence % 4]
            if action == "ping":
                status, _ = recorder.timed(
                    "ping", own, "PUT", "/api/exams/ping", session=sessions[slot]
                )
            elif action == "page save":
                status = page_save(
                    recorder,
                    action,
                    own,
                    attempts[slot],
                    position,
                    sequence,
                    option,
                    sessions[slot],
                )
            else:
                status, _ = recorder.timed(
                    "save",
                    own,
                    "PUT",
                    f"/api/exams/attempts/{attempts[slot]}/answers/{position}",
                    save_body(sequence, option),
                    session=sessions[slot],
                )
                if status == 200:
                    recorder.ack(attempts[slot], position, sequence, option)
            counts[slot] += status == 200

    started = time.monotonic()
    threads = [
        threading.Thread(target=run, args=(slot,)) for slot in range(FULL_SPEED_CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - started
    return {
        "count": sum(counts),
        "seconds": elapsed,
        "rate": sum(counts) / elapsed,
        "cpu": cpu.stop(),
    }


def run_full_speed(server: Server, sessions: list[str], attempts: list[int]) -> dict:
    """Saves as fast as FULL_SPEED_CLIENTS clients can, from the page as browsers
    send them and through the API, then the ping ceiling."""
    print("-- full speed ...", flush=True)
    recorder = Recorder()
    results = {
        action: burst(server, sessions, attempts, action, recorder)
        for action in ("page save", "save", "ping")
    }
    results["recorder"] = recorder
    results["lost"] = lost_answers(recorder.acknowledged)
    return results


def compare_fast_paths(
    database_url: str, sessions: list[str], attempts: list[int]
) -> dict:
    """Saves at full speed on one server with every fast path and one per fast
    path replaced by its plain version, in short bursts taking turns
    (COMPARE_ROUNDS rounds), so that whatever else the machine runs weighs on all
    alike. Per variant: saves per second, and gunicorn's CPU per save, the figure
    that other processes sharing the CPUs move least."""
    print("-- fast paths against their plain versions ...", flush=True)
    recorder = Recorder()
    variants = ["fast", *FAST_PATHS]
    totals = {v: {"count": 0, "seconds": 0.0, "gunicorn": 0.0} for v in variants}
    with contextlib.ExitStack() as stack:
        servers = {
            v: stack.enter_context(Server(database_url, plain="" if v == "fast" else v))
            for v in variants
        }
        for round_number in range(COMPARE_ROUNDS):
            turn = variants[round_number % len(variants) :]
            for variant in turn + variants[: round_number % len(variants)]:
                measured = burst(
                    servers[variant], sessions, attempts, "save", recorder, 6.0
                )
                total = totals[variant]
                total["count"] += measured["count"]
                total["seconds"] += measured["seconds"]
                total["gunicorn"] += (
                    measured["cpu"]["gunicorn"] / 100 * measured["seconds"]
                )
    return {
        "variants": {
            v: {
                "rate": t["count"] / t["seconds"],
                "cpu_ms": 1000 * t["gunicorn"] / t["count"] if t["count"] else 0.0,
            }
            for v, t in totals.items()
        },
        "lost": lost_answers(recorder.acknowledged),
    }


def compare_variants(
    database_url: str, sessions: list[str], attempts: list[int], variants: dict
) -> dict:
    """gunicorn's CPU per request (start, page, save, ping) and saves at full
    speed, per variant (a layout, or the baseline checkout), all servers up at
    once and taking turns for COMPARE_ROUNDS rounds, as compare_fast_paths does."""
    print("-- layouts and baseline ...", flush=True)
    recorder = Recorder()
    names = list(variants)
    totals = {
        name: {"cpu": defaultdict(float), "count": defaultdict(int), "errors": 0}
        for name in names
    }
    learners = sessions[FULL_SPEED_CLIENTS : FULL_SPEED_CLIENTS + CPU_LEARNERS]
    with contextlib.ExitStack() as stack:
        servers = {
            name: stack.enter_context(Server(database_url, **kwargs))
            for name, kwargs in variants.items()
        }
        for round_number in range(COMPARE_ROUNDS):
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                total = totals[name]
                measured = cpu_per_request(servers[name], learners)
                for action, (cpu, count, errors) in measured.items():
                    total["cpu"][action] += cpu
                    total["count"][action] += count
                    total["errors"] += errors
                burst_result = burst(
                    servers[name], sessions, attempts, "save", recorder, 6.0
                )
                total["count"]["full speed"] += burst_result["count"]
                total["cpu"]["full speed"] += burst_result["seconds"]
    return {
        "variants": {
            name: {
                "cpu_ms": {
                    action: 1000 * t["cpu"][action] / t["count"][action]
                    for action in ("start", "page", "save", "ping")
                    if t["count"][action]
                },
                "rate": t["count"]["full speed"] / t["cpu"]["full speed"],
                "errors": t["errors"],
            }
            for name, t in totals.items()
        },
        "lost": lost_answers(recorder.acknowledged),
    }


def cpu_per_request(server: Server, sessions: list[str]) -> dict:
    """Each learner starts an attempt, opens its first question and saves
    CPU_SAVES answers, and pings as often, from CPU_CLIENTS clients, one action
    at a time; per action gunicorn's CPU seconds, the requests answered 200 and
    the others. The attempts are submitted afterwards, unmeasured."""
    attempts: dict[str, int] = {}

    def jobs(action: str) -> list[tuple]:
        if action == "start":
            return [
                ("POST", "/api/exams/bench-100/attempts", None, s) for s in sessions
            ]
        if action == "page":
            return [
                ("GET", f"/exams/attempts/{attempts[s]}/questions/1/", None, s)
                for s in attempts
            ]
        if action == "save":
            return [
                (
                    "PUT",
                    f"/api/exams/attempts/{attempts[s]}/answers/{n}",
                    save_body(n, "abcd"[n % 4]),
                    s,
                )
                for n in range(1, CPU_SAVES + 1)
                for s in attempts
            ]
        return [("PUT", "/api/exams/ping", None, s) for s in sessions] * CPU_SAVES

    measured = {}
    for action in ("start", "page", "save", "ping"):
        queue = jobs(action)
        lock = threading.Lock()
        counts = {"ok": 0, "errors": 0}

        cpu = CpuSampler(server)
        cpu.start()
        threads = [
            threading.Thread(
                target=_drain, args=(server, queue, lock, counts, attempts)
            )
            for _ in range(CPU_CLIENTS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
        usage = cpu.stop()
        measured[action] = (
            usage["gunicorn"] / 100 * cpu.elapsed,
            counts["ok"],
            counts["errors"],
        )
    client = Client(server.port)
    for session, attempt_id in attempts.items():
        client.request(
            "POST", f"/api/exams/attempts/{attempt_id}/submit", session=session
        )
    return measured


def _drain(server, queue: list, lock, counts: dict, attempts: dict) -> None:
    """Send the requests of `queue` until it is empty; a start's attempt id goes
    to `attempts`."""
    client = Client(server.port)
    while True:
        with lock:
            if not queue:
                return
            method, path, body, session = queue.pop()
        try:
            status, content = client.request(method, path, body, session)
        except (OSError, http.client.HTTPException):
            status, content = 0, b""
        with lock:
            counts["ok" if status == 200 else "errors"] += 1
            if path.endswith("/attempts") and status == 200:
                attempts[session] = json.loads(content)["id"]


def submit_all(database_url: str, sessions: list[str], attempts: list[int]) -> None:
    with Server(database_url) as server:
        client = Client(server.port)
        for attempt_id, session in zip(attempts, sessions, strict=False):
            client.request(
                "POST", f"/api/exams/attempts/{attempt_id}/submit", session=session
            )


def lost_answers(acknowledged: dict) -> int:
    """Acknowledged saves not in the database (a newer save by the same client,
    acknowledged or not, may have replaced one: its sequence is higher)."""
    from django.db import connections

    from exams.models import AttemptItem

    lost = 0
    stored = {}
    attempts = {attempt for attempt, _ in acknowledged}
    for row in AttemptItem.objects.filter(attempt_id__in=attempts).values(
        "attempt_id", "position", "sequence", "response"
    ):
        stored[(row["attempt_id"], row["position"])] = row
    for key, (sequence, option) in acknowledged.items():
        row = stored.get(key)
        replaced = row is not None and row["sequence"] > sequence
        kept = (
            row is not None
            and row["sequence"] == sequence
            and row["response"] == {"options": [option]}
        )
        lost += not (replaced or kept)
    connections.close_all()
    return lost


class CpuSampler:
    """CPU used by gunicorn, PostgreSQL, Redis, this process and everything else
    over a phase, in percent of one CPU. A process's children that exited count
    in its own figures (cutime, cstime): PostgreSQL backends and gunicorn workers
    come and go during a phase."""

    def __init__(self, server: Server) -> None:
        self.server = server

    def _groups(self) -> dict[str, float]:
        tick = os.sysconf("SC_CLK_TCK")
        totals = {
            "gunicorn": 0.0,
            "postgres": 0.0,
            "redis": 0.0,
            "celery": 0.0,
            "load generator": 0.0,
        }
        gunicorn = {self.server.process.pid, *self.server.worker_pids()}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            used = sum(int(v) for v in fields[11:15]) / tick
            pid = int(entry.name)
            if pid in gunicorn:
                totals["gunicorn"] += used
            elif name.startswith("postgres"):
                totals["postgres"] += used
            elif name.startswith("redis-server"):
                totals["redis"] += used
            elif name.startswith("celery"):
                totals["celery"] += used
            elif pid == os.getpid():
                # Without the children's share: gunicorn is counted on its own.
                totals["load generator"] += (int(fields[11]) + int(fields[12])) / tick
        # Everything else on the machine (other processes share these CPUs).
        busy = [int(v) for v in Path("/proc/stat").read_text().split()[1:9]]
        machine = (sum(busy) - busy[3] - busy[4]) / tick
        totals["other processes"] = machine - sum(totals.values())
        return totals

    def start(self) -> None:
        self.before = self._groups()
        self.started = time.monotonic()

    def stop(self) -> dict[str, float]:
        self.elapsed = time.monotonic() - self.started
        after = self._groups()
        return {k: 100 * (after[k] - self.before[k]) / self.elapsed for k in after}


def percentile(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def ms(values: list[float], pct: int) -> str:
    return f"{1000 * percentile(values, pct):.0f}" if values else "-"


def saturated(cpu: dict[str, float]) -> str:
    cores = os.cpu_count() or 1
    total = sum(cpu.values())
    top = max(cpu, key=cpu.get)
    shares = ", ".join(f"{k} {v:.0f}%" for k, v in cpu.items())
    verdict = f"CPU ({top})" if total >= 85 * cores else "none (CPU headroom)"
    return f"{verdict}; {shares} of {cores * 100}%"


def print_report(
    vendor: str,
    server: Server,
    steps: list[dict],
    full: dict,
    compared: dict,
    variants_measured: dict,
    load_before: str,
) -> None:
    cores = os.cpu_count()
    print()
    print(
        f"Mock-exam load benchmark on {vendor}, {cores} CPUs, gunicorn "
        f"{server.layout}, load generator on the same machine; load average "
        f"before the run {load_before}"
    )
    header = (
        f"{'learners':>8} {'action':>7} {'count':>6} {'err':>4} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for step in steps:
        recorder = step["recorder"]
        for action in ("start", "page", "save", "submit"):
            times = recorder.times[action]
            print(
                f"{step['learners']:>8} {action:>7} {len(times):>6} "
                f"{recorder.errors[action]:>4} {ms(times, 50):>7} "
                f"{ms(times, 95):>7} {ms(times, 99):>7}"
            )
        print(
            f"{'':>8} started {step['started']}/{step['learners']}, lost answers "
            f"{step['lost']}, scheduler lateness p95 {step['late_p95']:.2f} s; "
            f"saturated: {saturated(step['cpu'])}"
        )
    if steps:
        print()
        print("The knee: p95 per action (save p99) and CPU per group, % of one CPU")
        groups = list(steps[0]["cpu"])
        print(
            f"{'learners':>8} {'start':>6} {'page':>6} {'save':>6} {'save99':>6} "
            + " ".join(f"{g[:9]:>9}" for g in groups)
        )
        for step in steps:
            times = step["recorder"].times
            print(
                f"{step['learners']:>8} {ms(times['start'], 95):>6} "
                f"{ms(times['page'], 95):>6} {ms(times['save'], 95):>6} "
                f"{ms(times['save'], 99):>6} "
                + " ".join(f"{step['cpu'][g]:>9.0f}" for g in groups)
            )
    save_times = full["recorder"].times["page save"]
    print()
    print(f"Full speed, {FULL_SPEED_CLIENTS} clients, {FULL_SPEED_SECONDS:.0f} s each:")
    ratios = {}
    for action, label in FULL_SPEED_ACTIONS.items():
        times = full["recorder"].times[action]
        print(
            f"  {label}: {full[action]['rate']:.0f}/s, p50 {ms(times, 50)} ms, "
            f"p95 {ms(times, 95)} ms, p99 {ms(times, 99)} ms; "
            f"saturated: {saturated(full[action]['cpu'])}"
        )
        ceiling = full["ping"]["rate"]
        ratios[action] = full[action]["rate"] / ceiling if ceiling else 0
    print(
        f"  saves / ceiling: from the page {100 * ratios['page save']:.0f}%, "
        f"through the API {100 * ratios['save']:.0f}%; lost answers {full['lost']}"
    )
    ratio = ratios["page save"]
    print()
    fast = compared["variants"]["fast"]
    print(
        f"Fast paths, saves at full speed in {COMPARE_ROUNDS} rounds of turns: all "
        f"fast {fast['rate']:.0f}/s, gunicorn CPU {fast['cpu_ms']:.2f} ms a save; "
        f"lost answers {compared['lost']}"
    )
    gains = {}
    for name, what in FAST_PATHS.items():
        plain = compared["variants"][name]
        gains[name] = plain["cpu_ms"] / fast["cpu_ms"] - 1 if fast["cpu_ms"] else 0
        print(
            f"  {what}: plain {plain['rate']:.0f}/s, {plain['cpu_ms']:.2f} ms a "
            f"save; the fast path: {100 * gains[name]:+.0f}% saves per CPU "
            f"second, {100 * (fast['rate'] / plain['rate'] - 1):+.0f}% per second"
        )
    print()
    print(
        f"gunicorn CPU per request (ms), {CPU_CLIENTS} clients, and saves at "
        f"full speed, {COMPARE_ROUNDS} rounds of turns; lost answers "
        f"{variants_measured['lost']}"
    )
    print(
        f"{'variant':>24} {'start':>6} {'page':>6} {'save':>6} {'ping':>6} "
        f"{'saves/s':>8} {'errors':>6}"
    )
    for name, variant in variants_measured["variants"].items():
        cpu = variant["cpu_ms"]
        print(
            f"{name:>24} "
            + " ".join(
                f"{cpu.get(action, float('nan')):>6.2f}"
                for action in ("start", "page", "save", "ping")
            )
            + f" {variant['rate']:>8.0f} {variant['errors']:>6}"
        )
    print()
    checks = []
    if steps:
        biggest = steps[-1]
        times = biggest["recorder"].times
        checks += [
            (
                f"{biggest['learners']} starts within 60 s, start p95 <= 500 ms",
                biggest["started"] == biggest["learners"]
                and percentile(times["start"], 95) <= 0.5,
            ),
            (
                f"{biggest['learners']} learners: save p99 <= 100 ms",
                percentile(times["save"], 99) <= 0.1,
            ),
        ]
    checks += [
        ("full speed: page save p99 <= 100 ms", percentile(save_times, 99) <= 0.1),
        ("full-speed page saves >= 70% of the ceiling", ratio >= 0.7),
        (
            "zero lost answers",
            not (
                full["lost"]
                or compared["lost"]
                or variants_measured["lost"]
                or any(s["lost"] for s in steps)
            ),
        ),
    ]
    checks += [
        (f"{FAST_PATHS[name]}: >= 20% over its plain version", gain >= 0.2)
        for name, gain in gains.items()
    ]
    for label, ok in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {label}")


if __name__ == "__main__":
    main()
