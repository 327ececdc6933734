"""How `make test` shares the suite among pytest-xdist workers (tests/conftest.py)."""

from xdist.scheduler import LoadScopeScheduling


class FileRunScheduling(LoadScopeScheduling):
    """A worker takes a run of consecutive tests of one file at a time, in the order
    pytest-django sorts them: the tests rolled back in a transaction first, then the
    transactional ones. A transactional test leaves the database empty (the next one
    restores the migrations' rows before it starts), so a rolled-back test must never
    run after one on the same worker. xdist's `loadfile` would send a file's two kinds
    together; here a file with both is two runs, each in its place. Whole runs keep a
    file's module fixtures (code sets loaded for the module) built once.

    Runs are handed out in collection order: the option that sorts them by size,
    `--loadscope-reorder`, must be off.
    """

    def __init__(self, config, log=None):
        super().__init__(config, log)
        self._runs: dict[str, str] = {}

    def _split_scope(self, nodeid: str) -> str:
        if not self._runs:
            # Every worker reports the same collection before the first call.
            self._runs = file_runs(next(iter(self.registered_collections.values())))
        return self._runs[nodeid]


# Files that join the run of the file before them, on its worker: the accessibility
# audit of the demo follows the demo-site test on the code sets (about a minute to
# load) and the demo (about two) that worker has just loaded for them, rather than
# on a worker that would load them again.
RUN_WITH = {
    "tests/content_checks/demo_site/test_demo_site_audit.py": (
        "tests/content_checks/demo_site/test_demo_site.py"
    ),
}


def file_runs(nodeids) -> dict[str, str]:
    """Each node id's run: `<n>::<file>`, n counting the runs in order."""
    runs = {}
    count, previous = 0, None
    for nodeid in nodeids:
        path = nodeid.split("::", 1)[0]
        path = RUN_WITH.get(path, path)
        if path != previous:
            count, previous = count + 1, path
        runs[nodeid] = f"{count}::{path}"
    return runs
