from django import template
from django.utils.safestring import mark_safe

from core.sanitize import clean_html

register = template.Library()


@register.filter
def sanitized(value) -> str:
    """HTML rendered through the one allow-list, whatever its origin."""
    return mark_safe(clean_html(str(value or "")))  # noqa: S308 (cleaned above)
