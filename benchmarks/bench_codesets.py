"""Code book benchmark: load time per release, search latency through HTTP against
a trivial JSON endpoint (the floor), and top-5 relevance on lay queries.

Runs once on SQLite (a fresh file under var/bench/) and, when it answers, once on
PostgreSQL (`CODESETS_BENCH_POSTGRES`, default
postgres://postgres@127.0.0.1:5432/coderacademy_bench). Each target runs in its own
process: migrate, load the full ICD-10-CM and ICD-10-PCS releases and the demo
sets, start gunicorn (one sync worker) on a free 127.0.0.1 port, then one client
sends 200 mixed prefix and word queries and 200 floor requests.

Targets: p95 <= 25 ms on PostgreSQL and <= 3x the floor's p95; relevance >= 90%.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.gunicorn import gunicorn_start, gunicorn_stop  # noqa: E402

RELEVANCE = ROOT / "benchmarks" / "data" / "codesets_relevance.csv"
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/coderacademy_bench"
REQUESTS = 200
WARM_UP = 20
WARM_UP_LIMIT = 120
PREFIXES = [
    ("icd10cm", q)
    for q in ("E11", "S72.0", "I10", "M54.5", "Z12", "J45.9", "T36.0X", "O09")
] + [("icd10pcs", q) for q in ("0DT", "0SR", "B03", "5A1", "0FT4", "10D0", "02")]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--target":
        print(json.dumps(run_target(sys.argv[2])))
        return
    sqlite_file = ROOT / "var" / "bench" / "codesets.sqlite3"
    sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    for stale in sqlite_file.parent.glob("codesets.sqlite3*"):
        stale.unlink()
    targets = [("SQLite", f"sqlite:///{sqlite_file}")]
    postgres = os.environ.get("CODESETS_BENCH_POSTGRES", POSTGRES_DEFAULT)
    if postgres_answers(postgres):
        targets.append(("PostgreSQL", postgres))
    else:
        print(f"PostgreSQL at {postgres} does not answer: SQLite only.")
    results = []
    for name, url in targets:
        print(f"-- {name}: loading and measuring ...", flush=True)
        completed = subprocess.run(
            [sys.executable, __file__, "--target", url],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append((name, json.loads(completed.stdout.strip().splitlines()[-1])))
    print_table(results)


def postgres_answers(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(
            url.replace("postgres://", "postgresql://"), connect_timeout=3
        ):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def run_target(database_url: str) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coderacademy.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    from codesets.models import Release

    call_command("migrate", verbosity=0)
    Release.objects.filter(system__in=["icd10cm", "icd10pcs"]).delete()
    loads = {}
    for system in ("icd10cm", "icd10pcs", "hcpcs", "cpt", "modifier", "ncci"):
        started = time.perf_counter()
        call_command("load_codesets", only=[system], stdout=StringIO())
        loads[system] = time.perf_counter() - started
    started = time.perf_counter()
    call_command("load_codesets", stdout=StringIO())
    loads["rerun (all unchanged)"] = time.perf_counter() - started
    counts = {
        r.system: r.row_count
        for r in Release.objects.filter(system__in=["icd10cm", "icd10pcs"])
    }
    billable = {
        s: Release.objects.get(system=s).codes.filter(billable=True).count()
        for s in ("icd10cm", "icd10pcs")
    }
    index = index_cost()
    from django.db import connections

    connections.close_all()
    with serve(database_url) as port:
        return {
            "vendor": "postgresql" if database_url.startswith("postgres") else "sqlite",
            "loads": loads,
            "rows": counts,
            "billable": billable,
            "index": index,
            **measure(port),
            "worker_rss_mb": port.worker_rss_mb(),
        }


def index_cost() -> dict:
    """Build time (its query included) and memory (traced Python objects) of the
    in-memory search index of ICD-10-CM and ICD-10-PCS, which each gunicorn worker
    pays once per release."""
    import tracemalloc

    from codesets import search_index
    from codesets.models import Code, Release

    search_index.BUILD_IN_BACKGROUND = False
    cost = {}
    for system in ("icd10cm", "icd10pcs"):
        release = Release.objects.get(system=system)
        started = time.perf_counter()
        search_index.index_for(release)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        rows = list(
            Code.objects.filter(release=release).values_list(
                "code", "display", "description", "billable", "kind", "search_text"
            )
        )
        index = search_index.ReleaseIndex(release.system, rows)
        del rows
        cost[system] = {
            "seconds": seconds,
            "mb": tracemalloc.get_traced_memory()[0] / 1e6,
        }
        tracemalloc.stop()
        del index
    return cost


def rss_mb(pid: str) -> float | None:
    """Resident memory of a process, from /proc; None where there is no /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class serve:
    """gunicorn with one sync worker on a free port, for the duration of a block."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def __enter__(self) -> Port:
        self.process, port = gunicorn_start(
            self.database_url,
            ["--workers=1"],
            ready=lambda port: get(port, "/api/codes/ping"),
            timeout=30,
        )
        return Port(port, self.process.pid)

    def __exit__(self, *exc) -> None:
        gunicorn_stop(self.process)


class Port(int):
    """The server's port, which also knows the gunicorn master's pid."""

    def __new__(cls, port: int, master_pid: int) -> Port:
        value = super().__new__(cls, port)
        value.master_pid = master_pid
        return value

    def worker_rss_mb(self) -> float | None:
        """Resident memory of the (single) worker, from /proc; None elsewhere."""
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        try:
            return rss_mb(children.read_text().split()[0])
        except (OSError, IndexError):
            return None


_connections: dict[int, http.client.HTTPConnection] = {}


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = _connections.get(port)
    if connection is None:
        connection = _connections[port] = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=10
        )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException):
        _connections.pop(port, None).close()
        raise


def relevance_rows() -> list[dict]:
    with RELEVANCE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mixed_queries() -> list[tuple[str, str]]:
    words = [(r["system"], r["query"]) for r in relevance_rows()]
    mixed = []
    while len(mixed) < REQUESTS:
        mixed.append(PREFIXES[len(mixed) // 2 % len(PREFIXES)])
        mixed.append(words[len(mixed) // 2 % len(words)])
    return mixed[:REQUESTS]


def timed(port: int, path: str) -> float:
    started = time.perf_counter()
    status, _body = get(port, path)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return elapsed


def search_path(system: str, query: str, limit: int = 20) -> str:
    return "/api/codes/search?" + urlencode(
        {"system": system, "q": query, "limit": limit}
    )


def measure(port: int) -> dict:
    from codeformats import compact

    queries = mixed_queries()
    warm_up_seconds = warm_up(port, queries[:WARM_UP])
    # Alternated, so that load from other processes falls on both alike.
    floor, search = [], []
    for system, query in queries:
        floor.append(timed(port, "/api/codes/ping"))
        search.append(timed(port, search_path(system, query)))
    rows = relevance_rows()
    hits = 0
    misses = []
    for row in rows:
        _status, body = get(port, search_path(row["system"], row["query"], 5))
        found = [r["compact"] for r in json.loads(body)["results"]]
        if any(code.startswith(compact(row["expected"])) for code in found):
            hits += 1
        else:
            misses.append(f"{row['query']} -> {row['expected']}")
    return {
        "search_p50": percentile(search, 50),
        "search_p95": percentile(search, 95),
        "floor_p50": percentile(floor, 50),
        "floor_p95": percentile(floor, 95),
        "warm_up_seconds": warm_up_seconds,
        "relevance": hits / len(rows),
        "relevance_queries": len(rows),
        "misses": misses,
    }


def warm_up(port: Port, queries: list[tuple[str, str]]) -> float:
    """Rounds of warm-up queries until the worker's search indexes are in use.

    A worker builds a release's index in the background on its first search and
    answers from the database meanwhile. The build is taken as over once word
    queries are within 4x the floor and the worker's memory has stopped growing
    for three rounds (or after `WARM_UP_LIMIT` seconds).
    """
    started = time.perf_counter()
    sizes: list[float | None] = []
    while time.perf_counter() - started < WARM_UP_LIMIT:
        floor = statistics.median(timed(port, "/api/codes/ping") for _ in queries)
        words = [
            timed(port, search_path(system, query))
            for system, query in queries
            if (system, query) not in PREFIXES
        ]
        sizes.append(port.worker_rss_mb())
        steady = len(sizes) > 3 and max(sizes[-3:]) - min(sizes[-3:]) < 1
        if statistics.median(words) < 4 * floor and (steady or sizes[-1] is None):
            break
        time.sleep(0.5)
    return time.perf_counter() - started


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def print_table(results: list[tuple[str, dict]]) -> None:
    print()
    print("Code book benchmark (single client, HTTP through gunicorn, 1 worker)")
    header = f"{'':34}" + "".join(f"{name:>14}" for name, _ in results)
    print(header)
    print("-" * len(header))

    def row(label: str, values) -> None:
        print(f"{label:34}" + "".join(f"{v:>14}" for v in values))

    for system in ("icd10cm", "icd10pcs", "hcpcs", "cpt", "modifier", "ncci"):
        row(f"load {system} (s)", [f"{r['loads'][system]:.1f}" for _, r in results])
    row(
        "re-run, all unchanged (s)",
        [f"{r['loads']['rerun (all unchanged)']:.1f}" for _, r in results],
    )
    row(
        "ICD-10-CM rows / billable",
        [f"{r['rows']['icd10cm']}/{r['billable']['icd10cm']}" for _, r in results],
    )
    row(
        "ICD-10-PCS rows / codes",
        [f"{r['rows']['icd10pcs']}/{r['billable']['icd10pcs']}" for _, r in results],
    )
    row(
        f"search p50 (ms, {REQUESTS} queries)",
        [f"{r['search_p50']:.1f}" for _, r in results],
    )
    row("search p95 (ms)", [f"{r['search_p95']:.1f}" for _, r in results])
    row(
        "floor p50 (ms, /api/codes/ping)", [f"{r['floor_p50']:.1f}" for _, r in results]
    )
    row("floor p95 (ms)", [f"{r['floor_p95']:.1f}" for _, r in results])
    row(
        "search p95 / floor p95",
        [f"{r['search_p95'] / r['floor_p95']:.1f}x" for _, r in results],
    )
    for system in ("icd10cm", "icd10pcs"):
        row(
            f"{system} index build (s) / MB",
            [
                f"{r['index'][system]['seconds']:.1f} / {r['index'][system]['mb']:.0f}"
                for _, r in results
            ],
        )
    row(
        "warm-up until indexed (s)", [f"{r['warm_up_seconds']:.1f}" for _, r in results]
    )
    row(
        "worker RSS after the run (MB)",
        [f"{r['worker_rss_mb'] or 0:.0f}" for _, r in results],
    )
    row(
        "top-5 relevance",
        [f"{r['relevance']:.0%} of {r['relevance_queries']}" for _, r in results],
    )
    print()
    print("Targets: p95 <= 25 ms on PostgreSQL and <= 3x floor; relevance >= 90%.")
    for name, result in results:
        if result["misses"]:
            print(f"{name} relevance misses: " + "; ".join(result["misses"]))


if __name__ == "__main__":
    main()
