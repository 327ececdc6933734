"""Signals other apps listen to (readiness recomputes on `response_graded`)."""

from django.dispatch import Signal

# Sent with `graded_response_id` and `learner_id` once the recording transaction
# commits, when a row is created or regraded (not when an identical record is
# repeated).
response_graded = Signal()
