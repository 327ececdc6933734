"""The exam bank, blueprints and accommodations in the Wagtail admin."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from exams.models import Accommodation, Blueprint, Question
from exams.services import attempts_reschedule


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    list_display = ["slug", "kind", "certification", "difficulty", "pretest"]
    list_filter = ["kind", "certification", "difficulty", "pretest"]
    search_fields = ["slug", "stem"]


class BlueprintViewSet(SnippetViewSet):
    model = Blueprint
    icon = "list-ol"
    list_display = ["name", "certification", "time_limit_minutes", "published"]


class AccommodationViewSet(SnippetViewSet):
    model = Accommodation
    icon = "time"
    list_display = ["learner", "blueprint", "extra_minutes", "time_multiplier"]


class ExamsViewSetGroup(SnippetViewSetGroup):
    menu_label = "Mock exams"
    menu_icon = "doc-full"
    items = (QuestionViewSet, BlueprintViewSet, AccommodationViewSet)


register_snippet(ExamsViewSetGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def _move_open_deadlines(request, instance):
    """An accommodation changed in the admin applies to attempts in progress."""
    rows = instance if isinstance(instance, list | tuple) else [instance]
    for row in rows:
        if isinstance(row, Accommodation):
            attempts_reschedule(learner=row.learner)
