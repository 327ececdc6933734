"""Receivers: a published lesson whose check keys changed has their answers
regraded."""

from courses.models import LessonPage
from courses.regrade import lesson_regrade_queue


def queue_regrade_after_key_change(sender, instance, revision=None, **kwargs):
    if isinstance(instance, LessonPage) and revision is not None:
        lesson_regrade_queue(lesson=instance, revision=revision)
