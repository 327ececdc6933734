"""The review policy that applies to one learner's attempts at an exam: the
blueprint's own, made stricter by any source another app registers (a class that
assigns the exam with an override, registered in its AppConfig.ready()), so exams
need not know those apps."""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from exams.models import Blueprint, ReviewPolicy

# Least to most strict.
STRICTNESS = (ReviewPolicy.IMMEDIATELY, ReviewPolicy.AFTER_CLOSE, ReviewPolicy.NEVER)

ReviewPolicySource = Callable[[object, Blueprint], Iterable[tuple[str, datetime]]]

_sources: list[ReviewPolicySource] = []


@dataclass(frozen=True)
class Review:
    """The policy that applies and the close that AFTER_CLOSE waits for (None:
    no close is set, so that review never opens)."""

    policy: ReviewPolicy
    closes_at: datetime | None

    @property
    def closed(self) -> bool:
        return self.closes_at is not None and timezone.now() >= self.closes_at


def register_review_policy_source(source: ReviewPolicySource) -> None:
    """`source(learner, blueprint)` returns (ReviewPolicy value, close) pairs that
    also apply to `learner` on `blueprint`, the close being when that source's
    "after the close date" opens review (a class's: the assignment's due date);
    the strictest of them and the blueprint's own wins."""
    if source not in _sources:
        _sources.append(source)


def review_policy_for(*, learner, blueprint: Blueprint) -> Review:
    reviews = [Review(ReviewPolicy(blueprint.review_policy), blueprint.closes_at)]
    for source in _sources:
        reviews.extend(
            Review(ReviewPolicy(policy), closes_at)
            for policy, closes_at in source(learner, blueprint)
        )
    return max(reviews, key=_strictness)


def _strictness(review: Review) -> tuple[int, float]:
    # Between two "after the close" policies the later close is the stricter,
    # and no close at all the strictest.
    closes = review.closes_at.timestamp() if review.closes_at else math.inf
    return STRICTNESS.index(review.policy), closes
