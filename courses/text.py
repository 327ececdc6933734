"""Plain-text excerpts of authored rich text, cut where a reader expects."""

from html import unescape

from django.utils.html import strip_tags

ELLIPSIS = "…"


def plain_excerpt(html: str, limit: int) -> str:
    """The text of `html` in at most `limit` characters: whole when it fits,
    else cut after the last whole word that fits, with an ellipsis, so a
    summary or a question never ends mid-word."""
    text = " ".join(unescape(strip_tags(html or "")).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    # The character after the cut tells whether the last word was whole.
    head, _, _ = cut.rpartition(" ")
    return (head or cut[:-1]).rstrip(" ,;:.&-–—") + ELLIPSIS
