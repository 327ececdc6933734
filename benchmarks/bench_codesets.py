"""Code book benchmark: load time per release, search latency through HTTP at
`CLIENTS` concurrent clients against a trivial JSON endpoint (the floor), memory
per worker, and top-5 relevance per query class.

Runs once on SQLite (a fresh file under var/bench/) and, when it answers, once on
PostgreSQL (`CODESETS_BENCH_POSTGRES`, default
postgres://postgres@127.0.0.1:5432/coderacademy_bench). Each target runs in its own
process: migrate, load the full ICD-10-CM and ICD-10-PCS releases and the demo
sets, then, for each search path, start gunicorn (deploy.md's layout, `LAYOUT`) on a
free 127.0.0.1 port and send, from `CLIENTS` clients at once, 200 mixed prefix and
word queries each, alternating with floor requests:

- `index`: each worker's in-process index (`codesets/search_index.py`);
- `shared index`: the same, built once in gunicorn's master before it forks the
  workers, which share it (`coderacademy/gunicorn.py`);
- `database`: the database's full-text index, candidates ranked in Python by the
  same `codesets.ranking` (`benchmarks/codesets_database_path.py`);
- on PostgreSQL also `SQL ts_rank`: the ranking done in PostgreSQL (tsvector
  match, `ts_rank_cd` weights in SQL), timed as bare SQL from `CLIENTS`
  connections at once: a floor under what it would cost through HTTP.

Before the servers, the CPU time of each word query of the relevance set on the
in-process index, in the benchmark's own process with the ranking's caches
emptied: what a search costs, whatever else the machine runs.

Targets (issue #18): p95 <= 10 ms at 4 concurrent clients on PostgreSQL, else
the in-process index stays; top-5 relevance >= 95%.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_exams import postgres_ensure  # noqa: E402

from tests.support.gunicorn import gunicorn_start, gunicorn_stop  # noqa: E402

RELEVANCE = ROOT / "benchmarks" / "data" / "codesets_relevance.csv"
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/coderacademy_bench"
CONFIGS = {
    "index": [],
    "shared index": ["--config=coderacademy/gunicorn.py"],
    "database": ["--config=benchmarks/codesets_database_path.py"],
}
REQUESTS = 200
CLIENTS = 4
# docs/deploy.md's command line: what production runs, so what the targets hold.
LAYOUT = ["--worker-class=gthread", "--workers=3", "--threads=8"]
WARM_UP = 20
WARM_UP_LIMIT = 180
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
    if postgres_ensure(postgres):
        targets.append(("PostgreSQL", postgres))
    else:
        print(f"PostgreSQL at {postgres} does not answer: SQLite only.")
    results = []
    for name, url in targets:
        print(f"-- {name}: loading and measuring ...", flush=True)
        completed = subprocess.run(
            [sys.executable, __file__, "--target", url],
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
        results.append((name, json.loads(completed.stdout.strip().splitlines()[-1])))
    print_table(results)


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
    cpu = search_cpu()
    from django.db import connections

    connections.close_all()
    vendor = "postgresql" if database_url.startswith("postgres") else "sqlite"
    paths = {}
    for path in CONFIGS:
        with serve(database_url, path) as port:
            paths[path] = {**measure(port), **port.worker_memory()}
    if vendor == "postgresql":
        paths["SQL ts_rank"] = sql_ranking(database_url)
    return {
        "vendor": vendor,
        "loads": loads,
        "rows": counts,
        "billable": billable,
        "index": index,
        "cpu": cpu,
        "paths": paths,
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


def search_cpu() -> dict:
    """CPU time of one word search on the in-process index, in this process: the
    relevance set's word queries, once each, with every cache of the ranking
    emptied first. CPU time, unlike latency through HTTP, hardly depends on what
    else the machine runs."""
    from codeformats import CodeSystem
    from codesets import ranking, search_index
    from codesets.models import Release
    from codesets.search import code_prefix, search

    ranking.analyse_text.cache_clear()
    ranking.word_key.cache_clear()
    releases = {r.system: r for r in Release.objects.all()}
    times = []
    for row in relevance_rows():
        system = CodeSystem(row["system"])
        if code_prefix(system, row["query"]):
            continue
        release = releases[row["system"]]
        assert search_index.index_for(release) is not None
        started = time.thread_time()
        search(system, row["query"], release)
        times.append((time.thread_time() - started) * 1000)
    return {
        "mean": statistics.mean(times),
        "p95": percentile(times, 95),
        "max": max(times),
    }


def rss_mb(pid: str) -> float | None:
    """Resident memory of a process, from /proc; None where there is no /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def private_mb(pid: str) -> float | None:
    """Private (unshared) memory of a process, from /proc; None where there is none."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    kb = sum(
        int(line.split()[1])
        for line in text.splitlines()
        if line.startswith(("Private_Clean:", "Private_Dirty:"))
    )
    return kb / 1024


class serve:
    """gunicorn in deploy.md's layout searching by `path`, on a free port,
    for the duration of a block."""

    def __init__(self, database_url: str, path: str) -> None:
        self.database_url = database_url
        self.path = path

    def __enter__(self) -> Port:
        self.process, port = gunicorn_start(
            self.database_url,
            [*LAYOUT, *CONFIGS[self.path]],
            ready=lambda port: get(port, "/api/codes/ping"),
            timeout=120,
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

    def worker_pids(self) -> list[str]:
        children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children")
        try:
            return children.read_text().split()
        except OSError:
            return []

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each worker, from /proc; empty where there is none."""
        return [mb for mb in map(rss_mb, self.worker_pids()) if mb is not None]

    def worker_memory(self) -> dict:
        """Each worker's resident memory and the part of it no other process
        shares (private pages: what a worker really costs), in MB."""
        return {
            "worker_rss_mb": self.worker_rss_mb(),
            "worker_private_mb": [
                mb for mb in map(private_mb, self.worker_pids()) if mb is not None
            ],
        }


_local = threading.local()


def get(port: int, path: str) -> tuple[int, bytes]:
    """GET `path` on this thread's keep-alive connection to `port`; once more on
    a new connection when the server has closed an idle one (a threaded worker
    does after its keep-alive timeout)."""
    connections = _local.__dict__.setdefault("connections", {})
    reused = port in connections
    if not reused:
        connections[port] = http.client.HTTPConnection(
            "127.0.0.1", int(port), timeout=30
        )
    try:
        connections[port].request("GET", path)
        response = connections[port].getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as error:
        connections.pop(port).close()
        closed = isinstance(error, http.client.RemoteDisconnected | BrokenPipeError)
        if reused and closed:
            return get(port, path)
        raise


def relevance_rows() -> list[dict]:
    with RELEVANCE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mixed_queries() -> list[tuple[str, str]]:
    """Half code prefixes, half word queries spread over the relevance set."""
    words = [(r["system"], r["query"]) for r in relevance_rows()]
    mixed = []
    for number in range(REQUESTS // 2):
        mixed.append(PREFIXES[number % len(PREFIXES)])
        mixed.append(words[number * len(words) // (REQUESTS // 2)])
    return mixed


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


def in_parallel(task, clients: int = CLIENTS) -> list:
    """Run `task(client_number)` on `clients` threads at once; their results."""
    results: list = [None] * clients
    errors: list[BaseException] = []
    start = threading.Barrier(clients)

    def run(number: int) -> None:
        start.wait()
        try:
            results[number] = task(number)
        except BaseException as error:  # noqa: BLE001 - raised in the caller
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def measure(port: Port) -> dict:
    queries = mixed_queries()
    warm_up_seconds = warm_up(port, queries[:WARM_UP])

    def client(number: int) -> tuple[list[float], list[float]]:
        # Alternated, so that load from other processes falls on both alike.
        floor, search = [], []
        for system, query in queries[number:] + queries[:number]:
            floor.append(timed(port, "/api/codes/ping"))
            search.append(timed(port, search_path(system, query)))
        return floor, search

    floor, search = [], []
    for client_floor, client_search in in_parallel(client):
        floor += client_floor
        search += client_search

    def top_five(row: dict) -> list[str]:
        _status, body = get(port, search_path(row["system"], row["query"], 5))
        return [r["compact"] for r in json.loads(body)["results"]]

    return {
        "search_p50": percentile(search, 50),
        "search_p95": percentile(search, 95),
        "floor_p50": percentile(floor, 50),
        "floor_p95": percentile(floor, 95),
        "warm_up_seconds": warm_up_seconds,
        **relevance(top_five),
    }


def relevance(top_five, rows: list[dict] | None = None) -> dict:
    """Top-5 hits of the relevance set (or of `rows`), overall and per query
    class; a hit when one of `top_five(row)` starts with the expected code."""
    from codeformats import compact

    by_class: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for row in relevance_rows() if rows is None else rows:
        counts = by_class[row["class"]]
        counts[1] += 1
        if any(code.startswith(compact(row["expected"])) for code in top_five(row)):
            counts[0] += 1
        else:
            misses.append(f"{row['query']} -> {row['expected']}")
    hits = sum(found for found, _total in by_class.values())
    total = sum(total for _found, total in by_class.values())
    return {
        "relevance": hits / total,
        "relevance_queries": total,
        "by_class": dict(by_class),
        "misses": misses,
    }


def sql_ranking(database_url: str) -> dict:
    """The ranking done in PostgreSQL: rows matching every query word in the
    stored tsvector (else any word), ordered by `ts_rank_cd` then billable and
    short first, timed as bare SQL from `CLIENTS` connections at once over the
    relevance set's word queries (code-shaped ones are prefix searches on every
    path, so they are left out)."""
    import psycopg

    from codeformats import CodeSystem
    from codesets.search import code_prefix, parse_query

    rows = [
        row
        for row in relevance_rows()
        if not code_prefix(CodeSystem(row["system"]), row["query"])
    ]
    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as db:
        releases = dict(db.execute("SELECT system, id FROM codesets_release"))
    sql = (
        "SELECT code FROM codesets_code, to_tsquery('english'::regconfig, %s) q "
        "WHERE release_id = %s AND search_vector @@ q ORDER BY "
        "ts_rank_cd(search_vector, q) DESC, billable DESC, length(description), code "
        "LIMIT %s"
    )

    def ranked(db, row: dict, limit: int = 20) -> list[str]:
        terms = list(parse_query(CodeSystem(row["system"]), row["query"]).terms)
        if not terms:
            return []
        terms[-1] += ":*"
        release = releases[row["system"]]
        found = db.execute(sql, [" & ".join(terms), release, limit]).fetchall()
        if not found and len(terms) > 1:
            found = db.execute(sql, [" | ".join(terms), release, limit]).fetchall()
        return [code for (code,) in found]

    def client(number: int) -> list[float]:
        url = database_url.replace("postgres://", "postgresql://")
        with psycopg.connect(url, autocommit=True) as db:
            times = []
            for row in rows[number:] + rows[:number]:
                started = time.perf_counter()
                ranked(db, row)
                times.append((time.perf_counter() - started) * 1000)
            return times

    in_parallel(client)  # warm the caches
    times = [t for client_times in in_parallel(client) for t in client_times]
    with psycopg.connect(
        database_url.replace("postgres://", "postgresql://"), autocommit=True
    ) as db:
        quality = relevance(lambda row: ranked(db, row, 5), rows)
    return {
        "search_p50": percentile(times, 50),
        "search_p95": percentile(times, 95),
        **quality,
    }


def warm_up(port: Port, queries: list[tuple[str, str]]) -> float:
    """Rounds of warm-up queries from `CLIENTS` clients until the workers'
    search indexes are in use.

    A worker builds a release's index in the background on its first search and
    answers from the database meanwhile. The builds are taken as over once word
    queries are within 4x the floor and the workers' memory has stopped growing
    for three rounds (or after `WARM_UP_LIMIT` seconds).
    """
    started = time.perf_counter()
    sizes: list[float] = []
    words = [q for q in queries if q not in PREFIXES]

    def round_trip(_number: int) -> tuple[float, float]:
        floor = statistics.median(timed(port, "/api/codes/ping") for _ in words)
        search = statistics.median(timed(port, search_path(*q)) for q in words)
        return floor, search

    while time.perf_counter() - started < WARM_UP_LIMIT:
        rounds = in_parallel(round_trip)
        floor = statistics.median(f for f, _s in rounds)
        search = statistics.median(s for _f, s in rounds)
        sizes.append(sum(port.worker_rss_mb()))
        steady = len(sizes) > 3 and max(sizes[-3:]) - min(sizes[-3:]) < 2
        if search < 4 * floor and (steady or not sizes[-1]):
            break
        time.sleep(0.5)
    return time.perf_counter() - started


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def print_table(results: list[tuple[str, dict]]) -> None:
    print()
    print(
        f"Code book benchmark ({CLIENTS} clients at once, gunicorn {' '.join(LAYOUT)})"
    )
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
    for system in ("icd10cm", "icd10pcs"):
        row(
            f"{system} index build (s) / MB",
            [
                f"{r['index'][system]['seconds']:.1f} / {r['index'][system]['mb']:.0f}"
                for _, r in results
            ],
        )
    row(
        "word search CPU, index (ms)",
        [f"{r['cpu']['mean']:.2f} mean" for _, r in results],
    )
    row("", [f"{r['cpu']['p95']:.2f} p95" for _, r in results])
    row("", [f"{r['cpu']['max']:.2f} max" for _, r in results])
    columns = [
        (f"{name[:2]} {path}", path_result)
        for name, result in results
        for path, path_result in result["paths"].items()
    ]
    print()
    print(f"Search paths ({REQUESTS} queries per client, half prefixes, half words)")
    header = f"{'':34}" + "".join(f"{name:>16}" for name, _ in columns)
    print(header)
    print("-" * len(header))

    def path_row(label: str, key, fmt: str) -> None:
        values = []
        for _name, result in columns:
            value = key(result)
            values.append("-" if value is None else format(value, fmt))
        print(f"{label:34}" + "".join(f"{v:>16}" for v in values))

    path_row("search p50 (ms)", lambda r: r["search_p50"], ".1f")
    path_row("search p95 (ms)", lambda r: r["search_p95"], ".1f")
    path_row("floor p50 (ms, /api/codes/ping)", lambda r: r.get("floor_p50"), ".1f")
    path_row("floor p95 (ms)", lambda r: r.get("floor_p95"), ".1f")
    path_row("warm-up (s)", lambda r: r.get("warm_up_seconds"), ".1f")
    path_row(
        "worker private memory, mean (MB)",
        lambda r: (
            statistics.mean(r["worker_private_mb"])
            if r.get("worker_private_mb")
            else None
        ),
        ".0f",
    )
    path_row(
        "worker RSS, mean (MB)",
        lambda r: (
            statistics.mean(r["worker_rss_mb"]) if r.get("worker_rss_mb") else None
        ),
        ".0f",
    )
    path_row("top-5 relevance", lambda r: r["relevance"], ".1%")
    classes = sorted({c for _name, r in columns for c in r["by_class"]})
    for query_class in classes:
        counts = [r["by_class"].get(query_class) for _name, r in columns]
        print(
            f"{'  ' + query_class:34}"
            + "".join(f"{f'{c[0]}/{c[1]}' if c else '-':>16}" for c in counts)
        )
    print()
    print("Targets: p95 <= 10 ms at 4 clients on PostgreSQL; top-5 relevance >= 95%.")
    for name, result in columns:
        if result["misses"]:
            print(f"{name} relevance misses: " + "; ".join(result["misses"]))


if __name__ == "__main__":
    main()
