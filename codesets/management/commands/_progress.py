"""A text progress bar for the loading commands."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

WIDTH = 30


def progress_bar(stdout: OutputWrapper, label: str):
    """A callback drawing `label [#####.....] done/total` on one line."""

    def draw(done: int, total: int) -> None:
        filled = WIDTH * done // max(total, 1)
        ending = "\n" if done >= total else "\r"
        stdout.write(
            f"{label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}",
            ending=ending,
        )
        stdout.flush()

    return draw
