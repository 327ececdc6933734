"""Review of answer keys: the approval task that refuses self-review, and the
record of every change to a published key.

The "Answer key review" workflow covers cases, lessons, exam questions and
blueprints. WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT (settings) makes an edit
saved while they are in review restart it, so what goes live is what the reviewer
approved.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask, TaskState

SELF_REVIEW_REFUSED = (
    "The submitter of this review, or the author of the revision under review, "
    "cannot approve it."
)


class AnotherInstructorApprovalTask(AbstractGroupApprovalTask):
    """A group approval that neither the instructor who submitted the content nor
    the author of the revision under review can give: a second pair of eyes on
    every key, even one a reviewer edited during the review."""

    class Meta:
        verbose_name = "Approval by another instructor"
        verbose_name_plural = "Approvals by another instructor"

    @staticmethod
    def _own(task_state: TaskState | None, user) -> bool:
        if task_state is None:
            return False
        revision = task_state.revision
        return task_state.workflow_state.requested_by_id == user.pk or (
            revision is not None and revision.user_id == user.pk
        )

    def get_actions(self, obj, user):
        if self._own(getattr(obj, "current_workflow_task_state", None), user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
            .exclude(revision__user=user)
        )

    def on_action(self, task_state: TaskState, user, action_name, **kwargs):
        if self._own(task_state, user):
            raise PermissionError(SELF_REVIEW_REFUSED)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "Instructors other than the submitter and the author can approve"


class AnswerKeyChange(models.Model):
    """Who changed a published key, when, and how (recorded on publish)."""

    case = models.ForeignKey(
        "case_studies.CaseStudyPage",
        on_delete=models.CASCADE,
        related_name="key_changes",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(default=timezone.now)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous_key = models.JSONField(null=True, blank=True)
    key = models.JSONField()
    summary = models.TextField(help_text="What changed, line by line.")

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"Key of {self.case_id} changed {self.changed_at:%Y-%m-%d %H:%M}"
