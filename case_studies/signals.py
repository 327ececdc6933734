"""Receivers: every publish of a case logs its key if the key changed, and queues
the regrade of its attempts when it did."""

from case_studies.models import CaseStudyPage
from case_studies.regrade import case_regrade_queue
from case_studies.services import key_change_record


def record_key_change(sender, instance, revision=None, **kwargs):
    if isinstance(instance, CaseStudyPage):
        user = revision.user if revision is not None else None
        key_change_record(case=instance, user=user, revision=revision)


def queue_regrade_after_key_change(sender, instance, revision=None, **kwargs):
    if isinstance(instance, CaseStudyPage) and revision is not None:
        case_regrade_queue(case=instance, revision=revision)
