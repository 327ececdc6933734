"""gunicorn configuration for the web workers: `gunicorn -c coderacademy/gunicorn.py
coderacademy.wsgi:application --workers 4 ...`.

The application is loaded once in the master process, which builds the code
search indexes of the releases in force before it forks the workers: they share
those pages instead of each building its own (about 120 MB and 4-12 s of CPU per
worker; docs/codesets.md, "Search design").

Size `--workers` by the requests expected at once on the machine rather than by
its cores: a code search is CPU-bound Python, so `--threads` of one worker take
turns on the GIL (a search delays the other threads' requests), while workers
share the index pages and cost about 77 MB each of their own. Fewer sync workers
than concurrent clients queue requests: 2 workers for 4 clients doubled even the
trivial endpoint's latency (docs/codesets.md, "The tail").
"""

preload_app = True


def when_ready(server) -> None:
    """gunicorn's hook in the master, after the application is loaded and before
    the first worker is forked."""
    from codesets.search import share_indexes_before_fork

    share_indexes_before_fork()
