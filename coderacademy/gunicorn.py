"""gunicorn configuration for the web workers: `gunicorn -c coderacademy/gunicorn.py
coderacademy.wsgi:application --workers 4 ...`.

The application is loaded once in the master process, which builds the code
search indexes of the releases in force before it forks the workers: they share
those pages instead of each building its own (about 120 MB and 4-12 s of CPU per
worker; docs/codesets.md, "Search design").

For the code search, deploy.md's threaded layout (3 workers x 8 threads on 2
CPUs) measured best: at 4 clients, search p95 10-18 ms against 41-56 ms with 4
sync workers in the same minutes, mostly from the kept-alive connections (the
trivial endpoint's p95 6-8 ms against 28-31). A search's 1-4 ms of CPU holds the
GIL of its worker meanwhile; fewer workers than concurrent clients queue
(docs/codesets.md, "The tail").
"""

preload_app = True


def when_ready(server) -> None:
    """gunicorn's hook in the master, after the application is loaded and before
    the first worker is forked."""
    from codesets.search import share_indexes_before_fork

    share_indexes_before_fork()
