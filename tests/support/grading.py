"""Grading an answer the way an author checks a key: `manage.py grade` on two JSON
files."""

import json
from io import StringIO

from django.core.management import call_command


def grade_by_command(tmp_path, key: dict, response: dict) -> dict:
    """The command's JSON result for `response` graded against `key`."""
    paths = []
    for name, data in (("key.json", key), ("response.json", response)):
        path = tmp_path / name
        path.write_text(json.dumps(data))
        paths.append(str(path))
    out = StringIO()
    call_command("grade", *paths, stdout=out)
    return json.loads(out.getvalue())
