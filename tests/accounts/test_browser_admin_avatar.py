"""The Wagtail admin draws its avatars from the site's own static files: gravatar.com
would be blocked by the admin's CSP and leave a broken image in the header."""

import pytest

from tests.support.browser import instructor_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/admin/", "/admin/account/"])
def test_the_admin_avatar_loads_without_a_csp_violation(browser_page, instructor, path):
    page = instructor_page(browser_page, instructor)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(path)
    page.wait_for_load_state("load")
    avatars = page.evaluate(
        """() => [...document.querySelectorAll("img[src*='avatar']")]
            .map((image) => [image.currentSrc, image.naturalWidth])"""
    )
    assert avatars
    for source, width in avatars:
        assert source.startswith(page.base_url + "/static/"), source
        assert width > 0, source
    assert not [text for text in console if "Content Security Policy" in text]
