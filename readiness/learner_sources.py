"""Which learners an instructor follows. Readiness does not know every way an
instructor and a learner meet (a course they teach, a class they lead), so each
app that knows one registers a source in its AppConfig.ready():
`register_learner_source(fn)`, where fn(instructor) returns the ids of that
instructor's learners. The learners an instructor may see are the union of all
sources."""

from collections.abc import Callable, Iterable

LearnerSource = Callable[[object], Iterable[int]]

_sources: list[LearnerSource] = []


def register_learner_source(source: LearnerSource) -> None:
    if source not in _sources:
        _sources.append(source)


def learner_ids_for(instructor) -> set[int]:
    """The ids of the learners any registered source gives `instructor`."""
    ids: set[int] = set()
    for source in _sources:
        ids.update(source(instructor))
    return ids


def enrolled_learner_ids(instructor) -> Iterable[int]:
    """Learners enrolled in the courses `instructor` teaches."""
    from courses.models import Enrolment
    from courses.selectors import courses_reported_to

    return Enrolment.objects.filter(
        course__in=courses_reported_to(instructor)
    ).values_list("learner", flat=True)
