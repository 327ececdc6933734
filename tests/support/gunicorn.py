"""Start and stop the project under gunicorn on a free loopback port, for the
benchmarks and the fault tests that go through real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def gunicorn_start(
    database_url: str,
    options: list[str],
    ready: Callable[[int], object],
    timeout: float,
    env: Mapping[str, str] | None = None,
    app: str = "coderacademy.wsgi:application",
    root: Path = ROOT,
) -> tuple[subprocess.Popen, int]:
    """Run gunicorn serving `app` (from the checkout at `root`) with `options`
    until `ready(port)` stops raising OSError; `env` adds to or overrides this
    process's environment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        **(env or {}),
        "DATABASE_URL": database_url,
        "DEBUG": "false",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            app,
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            *options,
        ],
        cwd=root,
        env=environment,
    )
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with status {process.returncode}")
            try:
                ready(port)
                return process, port
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")
    except BaseException:
        process.kill()
        process.wait()
        raise


def gunicorn_stop(process: subprocess.Popen, timeout: float = 20) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
