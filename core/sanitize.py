"""The one HTML sanitiser: every path that stores or shows HTML which did not come
from Wagtail's rich-text editor goes through it (admin fields, imports, the API,
and the template filter `sanitized`).

bleach is used only here, so moving to another cleaner (nh3) changes this file
alone. Everything not on the list is removed with its markup (script, style,
iframe, object and template elements with their content); text is kept and
escaped; links keep an href only when it is relative or http(s)/mailto.
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
        "code",
        "a",
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
    "a": ["href"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Dropped with everything inside them, rather than leaving their text behind.
_DROPPED_WITH_CONTENT = ("script", "style", "iframe", "object", "template")
_DROPPED = re.compile(
    rf"<({'|'.join(_DROPPED_WITH_CONTENT)})\b[^>]*>.*?</\1\s*>",
    flags=re.IGNORECASE | re.DOTALL,
)

_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_text_cleaner = bleach.sanitizer.Cleaner(tags=set(), strip=True, strip_comments=True)


def clean_html(html: str) -> str:
    """`html` reduced to the allow-listed tags, attributes and link protocols."""
    if not html:
        return ""
    return _cleaner.clean(_DROPPED.sub("", str(html))).strip()


def clean_text(text: str) -> str:
    """Plain text a user typed, tags removed; templates escape it on display."""
    if not text:
        return ""
    return html_lib.unescape(_text_cleaner.clean(_DROPPED.sub("", str(text))))
