from django import template

from core.durations import duration_text

register = template.Library()


@register.filter
def duration(seconds):
    """{{ seconds|duration }}: "2 min 5 s" (see core.durations)."""
    return duration_text(seconds)
