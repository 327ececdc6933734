"""What the case feedback and exam results pages need to link each line to its
dispute form, without their Python code knowing disputes."""

from django import template

from disputes import lines, selectors

register = template.Library()


@register.filter
def dispute_line_id(line: dict) -> str:
    """The identifier the dispute form takes for a line of a coding result."""
    return lines.line_id(line)


@register.simple_tag
def exam_item_responses(attempt) -> dict[int, int]:
    """The ledger row of each graded item of the attempt, by position: one look-up
    for the whole page."""
    return selectors.exam_item_responses(attempt)


@register.filter
def response_at(responses: dict[int, int], position: int) -> int | None:
    return responses.get(position)
