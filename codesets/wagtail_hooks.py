"""Read-only browsing of releases and codes in the Wagtail admin."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from codesets.models import Code, MedicallyUnlikelyEdit, PtpEdit, Release

READ_ONLY_ACTIONS = {"view"}


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Viewing follows Django's view permission; nobody adds, edits or deletes:
    code sets change only through the loading commands."""

    def user_has_permission(self, user, action):
        return action in READ_ONLY_ACTIONS and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class _ReadOnlyViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields = []


class ReleaseViewSet(_ReadOnlyViewSet):
    model = Release
    name = "code_releases"
    icon = "list-ul"
    list_display = ["__str__", "effective_from", "effective_to", "source", "row_count"]
    list_filter = ["system", "demo", "licensed"]


class CodeViewSet(_ReadOnlyViewSet):
    model = Code
    name = "codes"
    icon = "tag"
    list_display = ["display", "description", "billable", "kind", "release"]
    list_filter = ["release", "billable", "kind"]
    search_fields = ["code", "display", "description"]
    search_backend_name = None


class PtpEditViewSet(_ReadOnlyViewSet):
    model = PtpEdit
    name = "ncci_ptp_edits"
    icon = "warning"
    list_display = ["column1", "column2", "modifier_indicator", "effective_on"]


class MueViewSet(_ReadOnlyViewSet):
    model = MedicallyUnlikelyEdit
    name = "ncci_mues"
    icon = "warning"
    list_display = ["code", "value", "adjudication_indicator"]


class CodeSetsGroup(ModelViewSetGroup):
    menu_label = "Code sets"
    menu_icon = "list-ul"
    items = (ReleaseViewSet, CodeViewSet, PtpEditViewSet, MueViewSet)


for _model in (Release, Code, PtpEdit, MedicallyUnlikelyEdit):
    register_permission_policy(_model, ReadOnlyPolicy(_model))


@hooks.register("register_admin_viewset")
def register_viewset():
    return CodeSetsGroup()
