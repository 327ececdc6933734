"""Helpers that build exam states for tests and benchmarks."""

from exams.models import AttemptItem


def correct_response(item: AttemptItem) -> dict:
    """The right answer to a choice item, in the save format."""
    return {
        "options": sorted(o.option_id for o in item.question.options.all() if o.correct)
    }
