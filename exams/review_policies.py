"""The review policy that applies to one learner's attempts at an exam: the
blueprint's own, made stricter by any source another app registers (a class that
assigns the exam with an override, registered in its AppConfig.ready()), so exams
need not know those apps."""

from collections.abc import Callable, Iterable

from exams.models import Blueprint, ReviewPolicy

# Least to most strict.
STRICTNESS = (ReviewPolicy.IMMEDIATELY, ReviewPolicy.AFTER_CLOSE, ReviewPolicy.NEVER)

ReviewPolicySource = Callable[[object, Blueprint], Iterable[str]]

_sources: list[ReviewPolicySource] = []


def register_review_policy_source(source: ReviewPolicySource) -> None:
    """`source(learner, blueprint)` returns the ReviewPolicy values that also apply
    to `learner` on `blueprint`; the strictest of them and the blueprint's wins."""
    if source not in _sources:
        _sources.append(source)


def review_policy_for(*, learner, blueprint: Blueprint) -> ReviewPolicy:
    policies = [ReviewPolicy(blueprint.review_policy)]
    for source in _sources:
        policies.extend(ReviewPolicy(policy) for policy in source(learner, blueprint))
    return max(policies, key=STRICTNESS.index)
