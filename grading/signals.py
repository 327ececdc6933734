"""Signals other apps listen to (readiness recomputes on `response_graded`)."""

from django.dispatch import Signal

# Sent with `graded_response_id` and `learner_id` once the recording transaction
# commits, when a row is created or regraded (not when an identical record is
# repeated).
response_graded = Signal()

# Sent once a regrade of every response to one item commits (after its key
# changed): `item` (an ItemRef), `graded_response_ids` (the rows whose points or
# result changed, each keeping its earlier values as a GradedResponseRegrade;
# possibly none, since an upheld dispute waits for the regrade) and `reason`.
responses_regraded = Signal()
