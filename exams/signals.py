"""Receivers: a published question whose key changed has its answers regraded."""

from exams.regrade import question_regrade_queue


def queue_regrade_after_key_change(sender, instance, revision=None, **kwargs):
    if revision is not None:
        question_regrade_queue(question=instance, revision=revision)
