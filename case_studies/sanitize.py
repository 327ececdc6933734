"""The one HTML sanitiser for text that comes from outside: imported case bundles
and anything a learner types. Courses and exams import it too, so the allow-list
lives in one place.

Everything not on the list is removed with its markup (script and style elements
with their content); text is kept and escaped.
"""

import html as html_lib
import re

import bleach

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "ul",
        "ol",
        "li",
        "h3",
        "h4",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ALLOWED_ATTRIBUTES = {
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
}
# Dropped with everything inside them, rather than leaving their text behind.
_DROPPED_WITH_CONTENT = ("script", "style", "iframe", "object", "template")

_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=[],
    strip=True,
    strip_comments=True,
)


def clean_html(html: str) -> str:
    """`html` reduced to the allow-listed tags and attributes."""
    if not html:
        return ""
    return _cleaner.clean(_drop_dangerous_elements(str(html))).strip()


def clean_text(text: str) -> str:
    """Plain text a user typed, tags removed; templates escape it on display."""
    if not text:
        return ""
    stripped = bleach.clean(_drop_dangerous_elements(str(text)), tags=set(), strip=True)
    return html_lib.unescape(stripped)


def _drop_dangerous_elements(html: str) -> str:
    for tag in _DROPPED_WITH_CONTENT:
        html = re.sub(
            rf"<{tag}\b[^>]*>.*?</{tag}\s*>", "", html, flags=re.IGNORECASE | re.DOTALL
        )
    return html
