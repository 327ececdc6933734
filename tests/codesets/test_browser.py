"""The code autocomplete in a real browser: type, arrow down, Enter."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.browser
def test_autocomplete_is_keyboard_first(browser_page):
    call_command(
        "load_codesets", only=["icd10cm"], icd10cm_chapter=["4"], stdout=StringIO()
    )
    page = browser_page
    page.goto("/codes/")
    box = page.get_by_role("combobox", name="Code or words")
    box.fill("")
    box.press_sequentially("hyperglycemia diabetes type 2", delay=10)
    listbox = page.get_by_role("listbox")
    option = listbox.get_by_role("option").filter(has_text="E11.65")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")
    listbox.get_by_role("option").first.wait_for()
    options = listbox.get_by_role("option")
    target = next(
        i for i in range(options.count()) if "E11.65" in options.nth(i).inner_text()
    )
    for _ in range(target + 1):
        box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(
        target
    ).get_attribute("id")
    box.press("Enter")
    page.wait_for_url("**/codes/icd10cm/E1165/")
    assert "Type 2 diabetes mellitus with hyperglycemia" in page.content()
