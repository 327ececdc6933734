"""Accepted findings in the Wagtail admin: an instructor records why a finding of
`manage.py check_content` is right for a key; the reason is what a reviewer reads."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from content_checks.models import AcceptedFinding


class AcceptedFindingViewSet(ModelViewSet):
    model = AcceptedFinding
    name = "accepted_findings"
    menu_label = "Accepted findings"
    icon = "warning"
    add_to_admin_menu = True
    form_fields = ["where", "finding", "reason"]
    list_display = ["where", "finding", "accepted_by", "accepted_at"]
    search_fields = ["where", "finding", "reason"]
    search_backend_name = None
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_viewset():
    return AcceptedFindingViewSet()
