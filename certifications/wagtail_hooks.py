from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Certification, Domain


class CertificationViewSet(SnippetViewSet):
    model = Certification
    icon = "pick"
    list_display = ["abbreviation", "name", "awarding_body"]


class DomainViewSet(SnippetViewSet):
    model = Domain
    icon = "list-ul"
    list_display = ["name", "certification", "weight"]
    list_filter = ["certification"]


class CertificationGroup(SnippetViewSetGroup):
    menu_label = "Certifications"
    menu_icon = "pick"
    items = (CertificationViewSet, DomainViewSet)


register_snippet(CertificationGroup)
