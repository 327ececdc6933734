"""A code-entry key typed as a learner types it (`key_typed`, the demo class's
right answers) reads back as the key's own lines, for every demo check."""

import json

import pytest

from courses.answers import code_answer_read, key_sections, key_typed
from courses.management.commands.load_demo_courses import DEMO_DIR

TYPED_FIELDS = ("code", "modifiers", "units", "pointers")


def demo_code_checks():
    for path in sorted(DEMO_DIR.glob("*.json")):
        for module in json.loads(path.read_text())["modules"]:
            for lesson in module["lessons"]:
                for block in lesson["body"]:
                    if block["type"] == "code_entry_check":
                        yield f"{path.stem}: {block['value']['id']}", block["value"]


@pytest.mark.parametrize(("name", "check"), list(demo_code_checks()))
def test_a_typed_key_reads_back_as_the_key(name, check):
    key = check["key"]
    response = code_answer_read(check, key_typed(key)).response
    for section in key_sections(key):
        expected = [
            {field: line[field] for field in TYPED_FIELDS if line.get(field)}
            for line in key[section]
        ]
        assert response[section] == expected, name
