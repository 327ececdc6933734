"""Durations as people read them: "45 s", "2 min 5 s", "1 h 3 min"."""


def duration_text(seconds: int | None) -> str:
    """`seconds` in hours, minutes and seconds, leaving out zero parts; "" for
    None (not recorded) and "0 s" for zero."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{value} {unit}"
        for value, unit in ((hours, "h"), (minutes, "min"), (secs, "s"))
        if value
    ]
    return " ".join(parts) or "0 s"
