"""The demo courses' multiple-choice checks are fit for two tries: a wrong
option's feedback, shown before the second try, never names a right option."""

import json
import re

import pytest

from courses.management.commands.load_demo_courses import DEMO_DIR

# A right option short enough to be named in a sentence: a code, a modifier, a
# number of units, a root operation.
SHORT_ANSWER = 20


def demo_checks():
    for path in sorted(DEMO_DIR.glob("*.json")):
        for module in json.loads(path.read_text())["modules"]:
            for lesson in module["lessons"]:
                for block in lesson["body"]:
                    if block["type"] == "knowledge_check":
                        yield f"{path.stem}: {block['value']['id']}", block["value"]


@pytest.mark.parametrize(("name", "check"), list(demo_checks()))
def test_a_wrong_options_feedback_does_not_name_the_answer(name, check):
    right = [o["text"] for o in check["options"] if o["correct"]]
    for option in check["options"]:
        assert option["feedback"], f"{name} {option['id']} has no feedback"
        if option["correct"]:
            continue
        for answer in right:
            if len(answer) <= SHORT_ANSWER:
                pattern = rf"(?<![\w.]){re.escape(answer)}(?!\w|\.\w)"
                assert not re.search(pattern, option["feedback"], re.IGNORECASE), (
                    f"{name} {option['id']}: {option['feedback']}"
                )
