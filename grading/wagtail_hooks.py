"""The Wagtail admin of grading: instructors define scoring policies and read the
ledger of graded responses and its regrade history (both change only through the
grading services)."""

from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.views.generic.models import InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from core.durations import duration_text
from grading.models import (
    GradedResponse,
    GradedResponseRegrade,
    ScoringPolicyDefinition,
)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Viewing follows Django's view permission; nobody adds, edits or deletes."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class GradedResponseInspectView(InspectView):
    """Status counts and time spent in words, not as a raw dict and a bare
    number of seconds."""

    def get_status_counts_display_value(self):
        counts = self.object.status_counts or {}
        return (
            ", ".join(f"{count} {status}" for status, count in counts.items() if count)
            or "-"
        )

    def get_time_spent_display_value(self):
        return duration_text(self.object.time_spent) or "-"


class GradedResponseViewSet(ModelViewSet):
    model = GradedResponse
    inspect_view_class = GradedResponseInspectView
    name = "graded_responses"
    menu_label = "Graded responses"
    icon = "list-ul"
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []
    list_display = [
        "item_title",
        "learner",
        "source",
        "points",
        "max_points",
        "policy",
        "graded_at",
    ]
    list_filter = ["source", "domains", "difficulty", "policy"]
    inspect_view_fields = [
        "learner",
        "source",
        "item_type",
        "item_id",
        "item_title",
        "attempt_ref",
        "domains",
        "difficulty",
        "points",
        "max_points",
        "status_counts",
        "policy",
        "time_spent",
        "graded_at",
        "regraded_count",
        "key_revision",
    ]


class GradedResponseRegradeViewSet(ModelViewSet):
    model = GradedResponseRegrade
    name = "graded_response_regrades"
    menu_label = "Regrades"
    icon = "history"
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []
    list_display = [
        "graded_response",
        "regraded_at",
        "regraded_by",
        "reason",
        "changed_fields",
    ]
    inspect_view_fields = [
        "graded_response",
        "regraded_at",
        "regraded_by",
        "reason",
        "changed_fields",
        "previous",
    ]


class ScoringPolicyViewSet(SnippetViewSet):
    model = ScoringPolicyDefinition
    menu_label = "Scoring policies"
    icon = "cogs"
    list_display = ["name", "description", "all_or_nothing", "extra_line_penalty"]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("points_per_line"),
                        FieldPanel("points_per_choice_item"),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("floor_at_zero"), FieldPanel("all_or_nothing")]
                ),
                FieldPanel("extra_line_penalty"),
            ],
            heading="Points and totals",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("icd10cm_same_subcategory"),
                        FieldPanel("icd10cm_same_category"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("pcs_one_axis_wrong"),
                        FieldPanel("pcs_several_axes_wrong"),
                    ]
                ),
            ],
            heading="Partial credit for near misses (shares of a line, 0 to 1)",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("modifier_deduction"), FieldPanel("units_deduction")]
                ),
                FieldRowPanel(
                    [FieldPanel("pointer_deduction"), FieldPanel("sequence_deduction")]
                ),
            ],
            heading="Deductions (shares of a line, 0 to 1)",
        ),
    ]


class GradingGroup(ModelViewSetGroup):
    menu_label = "Grading"
    menu_icon = "tasks"
    items = (GradedResponseViewSet, GradedResponseRegradeViewSet, ScoringPolicyViewSet)


register_permission_policy(GradedResponse, ReadOnlyPolicy(GradedResponse))
register_permission_policy(GradedResponseRegrade, ReadOnlyPolicy(GradedResponseRegrade))


@hooks.register("register_admin_viewset")
def register_viewset():
    return GradingGroup()
