"""Exam-day sign-in: a class of learners behind one address (a lab's NAT) signs in
through allauth's login under gunicorn, then a password-guessing run targets one
account from the same address.

(a) CLASS_SIZE learners (default 200) each post the login form once, at random
    moments within WINDOW seconds (default 60), from 127.0.0.1: how many got 429,
    how many did not get in, and the sign-in's latency p50/p95.
(b) GUESSES wrong passwords at one account, then its right password, then a
    classmate's sign-in: the per-account limit must stop the guessing (the right
    password refused too) while the classmate still gets in.

First, a sign-in alone (three learners, one after another): what the password hash
costs on this machine, which bounds how many sign-ins a web process answers a minute.

Targets: no 429 and every learner in; guessing stopped after
LOGIN_FAILED_LIMIT_PER_ACCOUNT failures; the classmate in.

PostgreSQL: `LOGIN_BENCH_POSTGRES` (default
postgres://postgres@127.0.0.1:5432/coderacademy_bench_login, created if missing);
without it, SQLite. Redis for sessions and the rate limits' cache, as in
production: `LOGIN_BENCH_REDIS` (default redis://127.0.0.1:6379/13, emptied first);
without it, the database. `LOGIN_BENCH_LEARNERS`, `LOGIN_BENCH_WINDOW` (seconds),
`LOGIN_BENCH_WORKERS` and `LOGIN_BENCH_THREADS` size a run. Passwords are hashed
with Django's default hasher, as in production: that hash is most of a sign-in's
cost.
"""

from __future__ import annotations

import http.client
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from bench_exams import postgres_ensure, redis_flushed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.gunicorn import gunicorn_start, gunicorn_stop  # noqa: E402

POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/coderacademy_bench_login"
REDIS_DEFAULT = "redis://127.0.0.1:6379/13"
PASSWORD = "a-long-benchmark-password-42"
GUESSES = 12
ALONE = 3
CSRF = "c" * 32
TOO_MANY_FAILURES = b"Too many failed login attempts"


def main() -> None:
    class_size = int(os.environ.get("LOGIN_BENCH_LEARNERS", "200"))
    window = float(os.environ.get("LOGIN_BENCH_WINDOW", "60"))
    postgres = os.environ.get("LOGIN_BENCH_POSTGRES", POSTGRES_DEFAULT)
    if postgres_ensure(postgres):
        database_url, vendor = postgres, "PostgreSQL"
    else:
        path = ROOT / "var" / "bench" / "login.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob("login.sqlite3*"):
            stale.unlink()
        database_url, vendor = f"sqlite:///{path}", "SQLite"
        print(f"PostgreSQL at {postgres} does not answer: SQLite.")
    redis = os.environ.get("LOGIN_BENCH_REDIS", REDIS_DEFAULT)
    if redis_flushed(redis):
        os.environ["REDIS_URL"] = redis
        vendor += " + Redis"
    else:
        os.environ.pop("REDIS_URL", None)
        print(f"Redis at {redis} does not answer: sessions and cache in the database.")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coderacademy.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    print(f"-- {vendor}: preparing {class_size + 1 + ALONE} learners ...", flush=True)
    emails = prepare(class_size + 1 + ALONE)
    connections.close_all()
    victim, alone, learners = emails[0], emails[1 : 1 + ALONE], emails[1 + ALONE :]
    workers = int(os.environ.get("LOGIN_BENCH_WORKERS", "2"))
    threads = int(os.environ.get("LOGIN_BENCH_THREADS", "4"))
    process, port = gunicorn_start(
        database_url,
        [
            f"--workers={workers}",
            "--worker-class=gthread",
            f"--threads={threads}",
            # A password hash takes seconds on a shared, loaded machine; a sign-in is
            # measured, not cut off.
            "--timeout=120",
        ],
        ready=healthz,
        timeout=60,
    )
    try:
        # One at a time first: what a sign-in costs with nothing else running.
        single = [attempt(port, email, PASSWORD)[3] for email in alone]
        print(f"-- {class_size} learners within {window:.0f} s ...", flush=True)
        started = time.monotonic()
        results = class_signs_in(port, learners, window)
        took = time.monotonic() - started
        print("-- guessing one account's password ...", flush=True)
        guessing = guessing_run(port, victim, classmate=learners[0])
    finally:
        gunicorn_stop(process)
    print_report(
        vendor,
        settings,
        class_size,
        window,
        took,
        single,
        results,
        guessing,
        f"{workers}×{threads}",
    )


def prepare(count: int) -> list[str]:
    """Migrate, and `count` verified learners who share one password hash."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    User = get_user_model()
    emails = [f"lab-learner-{n}@example.test" for n in range(count)]
    User.objects.filter(email__in=emails).delete()
    users = User.objects.bulk_create(
        User(email=email, password=make_password(PASSWORD)) for email in emails[:1]
    )
    hashed = users[0].password
    users += User.objects.bulk_create(
        User(email=email, password=hashed) for email in emails[1:]
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True)
        for user in users
    )
    Group.objects.get(name="Learner").user_set.add(*users)
    return emails


def healthz(port: int) -> None:
    """Any answer means gunicorn serves (healthz may report a missing worker)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz")
        connection.getresponse().read()
    finally:
        connection.close()


def sign_in(port: int, email: str, password: str) -> tuple[int, str, bytes, float]:
    """Post allauth's login form once: status, Location, body and seconds."""
    # Long enough that a loaded machine's slow answer is measured, not dropped.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    body = urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": CSRF}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={CSRF}",
    }
    started = time.perf_counter()
    try:
        connection.request("POST", "/accounts/login/", body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        return (
            response.status,
            response.getheader("Location", ""),
            content,
            time.perf_counter() - started,
        )
    finally:
        connection.close()


def class_signs_in(port: int, emails: list[str], window: float) -> list[tuple]:
    """Every learner signs in once, at a random moment within `window` seconds."""
    start = time.monotonic()
    moments = sorted(random.uniform(0, window) for _ in emails)
    results: list[tuple] = []
    lock = threading.Lock()

    def learner(email: str, moment: float) -> None:
        time.sleep(max(0.0, start + moment - time.monotonic()))
        outcome = attempt(port, email, PASSWORD)
        with lock:
            results.append(outcome)

    threads = [
        threading.Thread(target=learner, args=(email, moment))
        for email, moment in zip(emails, moments, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=window + 330)
    return results


def attempt(port: int, email: str, password: str) -> tuple[int, str, bytes, float]:
    try:
        return sign_in(port, email, password)
    except (OSError, http.client.HTTPException):
        return (0, "", b"", 0.0)


def guessing_run(port: int, victim: str, classmate: str) -> dict:
    stopped_at = None
    for guess in range(1, GUESSES + 1):
        status, _, body, _ = attempt(port, victim, f"wrong-{guess}")
        if stopped_at is None and (status == 429 or TOO_MANY_FAILURES in body):
            stopped_at = guess
    status, location, body, _ = attempt(port, victim, PASSWORD)
    right_password_refused = not (status == 302 and "/dashboard/" in location)
    status, location, _, _ = attempt(port, classmate, PASSWORD)
    return {
        "stopped_at": stopped_at,
        "right_password_refused": right_password_refused,
        "classmate_in": status == 302 and "/dashboard/" in location,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def print_report(
    vendor, settings, class_size, window, took, single, results, guessing, shape
) -> None:
    signed_in = [r for r in results if r[0] == 302 and "/dashboard/" in r[1]]
    too_many = sum(1 for r in results if r[0] == 429)
    no_answer = sum(1 for r in results if r[0] == 0)
    latencies = [r[3] for r in signed_in]
    print()
    print(f"Classroom sign-in ({vendor}, gunicorn {shape} gthread)")
    print(
        f"  limits per address: {settings.LOGIN_LIMIT_PER_IP} sign-ins, "
        f"{settings.LOGIN_FAILED_LIMIT_PER_IP} failures; per account: "
        f"{settings.LOGIN_FAILED_LIMIT_PER_ACCOUNT} failures"
    )
    print(f"  one sign-in alone: {statistics.median(single) * 1000:.0f} ms")
    print(
        f"  {class_size} learners, one address, within {window:.0f} s "
        f"(all done after {took:.1f} s)"
    )
    print(
        f"  signed in: {len(signed_in)}/{class_size}; 429: {too_many}; "
        f"no answer: {no_answer}"
    )
    if latencies:
        print(
            f"  sign-in latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms"
        )
    stopped = guessing["stopped_at"]
    print(
        f"  guessing one account: stopped at guess {stopped} of {GUESSES}; "
        f"right password then refused: {guessing['right_password_refused']}; "
        f"a classmate still signs in: {guessing['classmate_in']}"
    )
    met = (
        len(signed_in) == class_size
        and too_many == 0
        and stopped is not None
        and guessing["right_password_refused"]
        and guessing["classmate_in"]
    )
    print(f"  targets met: {met}")
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
