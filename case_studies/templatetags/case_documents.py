from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def scrolling_tables(html: SafeString, label: str) -> SafeString:
    """Each table of sanitised documentation (the `sanitized` filter's output)
    inside a focusable box that scrolls sideways on a phone, not the page. The
    sanitiser leaves a table tag bare and escapes every other "<", so the plain
    tags are the only matches."""
    box = format_html(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="{}">',
        label,
    )
    wrapped = str(html).replace("<table>", f"{box}<table>")
    return mark_safe(wrapped.replace("</table>", "</table></div>"))  # noqa: S308
