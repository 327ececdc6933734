"""The answer-key editor (grading.key_blocks) as tests drive it, shared by the
lesson and exam-question editor tests: keys posted over HTTP, the errors the form
shows on a line's field, and the code input in a real browser."""

import re

from playwright.sync_api import expect

CATEGORY_HEADER = "E11.6 is a category header"


def stored_line(code: str, rationale: str, **service_fields) -> dict:
    """A key line as the editor stores it: every field the engine reads spelled
    out, defaults included."""
    return {
        "code": code,
        "alternatives": [],
        "optional": False,
        "common_errors": [],
        "rationale": rationale,
        "reference": "",
        **service_fields,
    }


def line_field_errors(error, *path) -> list[str]:
    """The messages the editor shows at `path` (block names and stream indexes)
    under a StreamField's or a block field's error, e.g. `("lines", 0, "code")`."""
    data = error.as_data()[0].as_json_data()
    for step in path:
        data = data["blockErrors"][step]
    return data["messages"]


def code_input_completes_and_checks(page, name: str) -> None:
    """In the key line's code input `name`: typing offers codes from the code book
    (for the key's date of service), a header is flagged as soon as the instructor
    leaves the input, and a picked code is confirmed."""
    code = page.locator(f"[name='{name}']")
    message = page.locator(f"[id='{code.get_attribute('id')}-code-check']")
    code.fill("E11.6")
    suggestion = page.get_by_role("option", name=re.compile(r"^E11\.65"))
    expect(suggestion).to_be_visible()
    code.press("Escape")
    code.press("Tab")
    expect(message).to_contain_text(CATEGORY_HEADER)
    code.fill("E11.6")
    suggestion.click()
    expect(code).to_have_value("E11.65")
    expect(message).to_contain_text("✓ E11.65")
