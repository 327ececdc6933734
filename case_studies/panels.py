"""An admin panel showing the change log of a case's published answer key."""

from wagtail.admin.panels import Panel


class KeyHistoryPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "case_studies/panels/key_history.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            changes = (
                self.instance.key_changes.select_related("changed_by")
                if self.instance.pk
                else []
            )
            context["changes"] = changes
            return context
