"""gunicorn configuration for `bench_codesets.py`: every worker searches the
database (tsvector or FTS5 candidates, ranked by `codesets.ranking`) and never
builds its in-process index, so that the benchmark measures the two paths in the
same run (issue #18). Used by the benchmark only."""


def post_worker_init(worker) -> None:
    """gunicorn's hook, once the worker has loaded Django."""
    from codesets import search_index

    search_index.MAX_INDEXED_ROWS = 0
