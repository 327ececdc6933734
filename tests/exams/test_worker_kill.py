"""`kill -9` of a gunicorn worker during a burst of answer saves: every save the
server acknowledged is in the database afterwards (or a newer one from the same
client). Real gunicorn (gthread) on the test database, real HTTP, committed data."""

import http.client
import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from exams.errors import STALE_SAVE
from exams.models import AttemptItem
from tests.support.gunicorn import gunicorn_start, gunicorn_stop

WORKERS = 2
CSRF = "k" * 32
# Bounds on each wait so that a broken server fails the test instead of hanging it.
WAIT_SECONDS = 15
# Acknowledged saves per client before the kill, and again after the respawn.
SAVES_PER_CLIENT = 25


@dataclass
class Server:
    process: subprocess.Popen
    port: int

    def worker_pids(self) -> set[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return {int(child) for child in children.split()}

    def client_connections(self, pid: int) -> int:
        """How many open client connections worker `pid` holds."""
        established = {
            fields[9]
            for fields in map(str.split, Path("/proc/net/tcp").read_text().splitlines())
            if fields[1].endswith(f":{self.port:04X}") and fields[3] == "01"
        }
        return sum(
            socket_inode(descriptor) in established
            for descriptor in Path(f"/proc/{pid}/fd").iterdir()
        )


def socket_inode(descriptor: Path) -> str:
    try:
        target = os.readlink(descriptor)
    except FileNotFoundError:  # closed since the folder was listed
        return ""
    return target.removeprefix("socket:[").removesuffix("]")


class Tab:
    """A learner's browser tab: one keep-alive connection with the session and
    CSRF cookies; a failed request closes it and the next one reconnects."""

    def __init__(self, port: int, session_key: str) -> None:
        self.port = port
        self.headers = {
            "Cookie": (
                f"{settings.SESSION_COOKIE_NAME}={session_key}; "
                f"{settings.CSRF_COOKIE_NAME}={CSRF}"
            ),
            "X-CSRFToken": CSRF,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        self.connection = None

    def request(self, method: str, path: str, body=None) -> tuple[int, dict]:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=WAIT_SECONDS
            )
        try:
            self.connection.request(
                method, path, body=json.dumps(body or {}), headers=self.headers
            )
            response = self.connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        try:
            return response.status, json.loads(payload)
        except ValueError:
            return response.status, {"body": payload[:500].decode(errors="replace")}

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def database_url() -> str:
    """The test database, as the gunicorn process must see it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def answered(port: int) -> None:
    """Any HTTP answer (401 here: no session) means a worker serves."""
    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT_SECONDS)
    try:
        probe.request("GET", "/api/exams/")
        probe.getresponse().read()
    finally:
        probe.close()


@pytest.fixture
def server(transactional_db, tmp_path):
    process, port = gunicorn_start(
        database_url(),
        [f"--workers={WORKERS}", "--worker-class=gthread", "--threads=4"],
        ready=answered,
        timeout=60,
        env={
            "DJANGO_SETTINGS_MODULE": "coderacademy.settings.test",
            # The test settings make a per-process folder in the temporary directory.
            "TMPDIR": str(tmp_path),
        },
    )
    yield Server(process, port)
    gunicorn_stop(process)


def logged_in(user) -> str:
    """A new session of `user` in the session store: its key."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@dataclass
class Burst:
    """What the saving clients saw: the newest acknowledged save per item, when
    each acknowledgement arrived, how many requests lost their connection, and
    anything else (an error answer, a client that crashed)."""

    acknowledged: dict = field(default_factory=dict)
    acked_at: list = field(default_factory=list)
    broken: int = 0
    unexpected: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def save_until_stopped(
        self, tab: Tab, attempt_id: int, positions: list[int]
    ) -> None:
        """Save answers in turn to `positions` (this client's alone, so its
        sequence numbers order them), retrying each save until it is answered."""
        try:
            self._save_until_stopped(tab, attempt_id, positions)
        except BaseException as error:
            with self.lock:
                self.unexpected.append(repr(error))
            raise

    def _save_until_stopped(
        self, tab: Tab, attempt_id: int, positions: list[int]
    ) -> None:
        sequence = 0
        while not self.stop.is_set():
            sequence += 1
            position = positions[sequence % len(positions)]
            option = "abcd"[sequence % 4]
            body = {"response": {"options": [option]}, "sequence": sequence}
            path = f"/api/exams/attempts/{attempt_id}/answers/{position}"
            retry = False
            while not self.stop.is_set():
                try:
                    status, answer = tab.request("PUT", path, body)
                except (OSError, http.client.HTTPException):
                    with self.lock:
                        self.broken += 1
                    retry = True
                    self.stop.wait(0.05)
                    continue
                if status == 200:
                    with self.lock:
                        self.acknowledged[(attempt_id, position)] = (sequence, option)
                        self.acked_at.append(time.monotonic())
                # The try that failed was stored; only its answer was lost.
                elif not (
                    retry and status == 409 and answer.get("detail") == STALE_SAVE
                ):
                    with self.lock:
                        self.unexpected.append((status, answer))
                break

    def acks_since(self, moment: float) -> int:
        with self.lock:
            return sum(at > moment for at in self.acked_at)

    def wait_for_acks(self, since: float, count: int) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while self.acks_since(since) < count and time.monotonic() < deadline:
            time.sleep(0.05)


def lost_answers(acknowledged: dict) -> list:
    stored = {
        (row["attempt_id"], row["position"]): (row["sequence"], row["response"])
        for row in AttemptItem.objects.filter(
            attempt_id__in={attempt for attempt, _ in acknowledged}
        ).values("attempt_id", "position", "sequence", "response")
    }
    lost = []
    for key, (sequence, option) in acknowledged.items():
        stored_sequence, response = stored[key]
        kept = stored_sequence == sequence and response == {"options": [option]}
        if not (kept or stored_sequence > sequence):
            lost.append((key, sequence, option, stored[key]))
    return lost


def wait_for_respawn(server: Server, victim: int) -> set[int]:
    deadline = time.monotonic() + WAIT_SECONDS
    workers = server.worker_pids()
    while (victim in workers or len(workers) < WORKERS) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
        workers = server.worker_pids()
    return workers


@pytest.mark.django_db(transaction=True)
def test_no_acknowledged_answer_lost_when_a_worker_is_killed(
    server, cpc, learner, other_learner
):
    clients = []
    for user in (learner, other_learner):
        first_tab = Tab(server.port, logged_in(user))
        status, attempt = first_tab.request("POST", f"/api/exams/{cpc.slug}/attempts")
        assert status == 200, attempt
        positions = [item["position"] for item in attempt["items"]]
        middle = len(positions) // 2
        second_tab = Tab(server.port, logged_in(user))
        clients.append((first_tab, attempt["id"], positions[:middle]))
        clients.append((second_tab, attempt["id"], positions[middle:]))

    burst = Burst()
    threads = [
        threading.Thread(target=burst.save_until_stopped, args=client)
        for client in clients
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        burst.wait_for_acks(since=started, count=SAVES_PER_CLIENT * len(clients))
        # The worker holding the most clients' connections, so the kill cuts saves.
        held = {pid: server.client_connections(pid) for pid in server.worker_pids()}
        victim = max(held, key=held.get)
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        workers_after = wait_for_respawn(server, victim)
        burst.wait_for_acks(
            since=time.monotonic(), count=SAVES_PER_CLIENT * len(clients)
        )
    finally:
        burst.stop.set()
        for thread in threads:
            thread.join(timeout=WAIT_SECONDS)
        for tab, _, _ in clients:
            tab.close()

    assert not any(thread.is_alive() for thread in threads)
    assert held[victim] > 0
    assert victim not in workers_after and len(workers_after) == WORKERS
    assert burst.broken > 0
    acked_after_kill = burst.acks_since(killed)
    assert burst.acks_since(started) - acked_after_kill > 0
    assert acked_after_kill > 0
    assert burst.unexpected == []
    assert len(burst.acknowledged) == sum(len(own) for _, _, own in clients)
    assert lost_answers(burst.acknowledged) == []
