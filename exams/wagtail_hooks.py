"""The exam bank, blueprints and accommodations in the Wagtail admin.

Questions and blueprints go live only through "Answer key review" (another
instructor approves); administrators may still publish directly, as for cases."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from accounts.roles import is_administrator
from exams.models import Accommodation, Blueprint, ExamSitting, Question
from exams.question_forms import QuestionForm
from exams.services import attempts_reschedule
from exams.sitting_forms import ExamSittingForm

PUBLISH_THROUGH_REVIEW = (
    "Questions and blueprints go live when another instructor approves them: use "
    "“Submit to Answer key review”."
)
REVIEWED_MODELS = (Question, Blueprint)


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    list_display = ["slug", "kind", "certification", "difficulty", "pretest"]
    list_filter = ["kind", "certification", "difficulty", "pretest"]
    search_fields = ["slug", "stem"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)


class BlueprintViewSet(SnippetViewSet):
    model = Blueprint
    icon = "list-ol"
    list_display = ["name", "certification", "time_limit_minutes", "published"]


class AccommodationViewSet(SnippetViewSet):
    model = Accommodation
    icon = "time"
    list_display = ["learner", "blueprint", "extra_minutes", "time_multiplier"]


class ExamSittingViewSet(SnippetViewSet):
    model = ExamSitting
    icon = "group"
    menu_label = "Exam sittings"
    list_display = [
        "blueprint",
        "room",
        "starts_at",
        "instructor",
        Column(
            "roster",
            label="Roster",
            accessor=lambda sitting: format_html(
                '<a href="{}">Live roster</a>', sitting.get_absolute_url()
            ),
        ),
    ]
    list_filter = ["blueprint"]
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "blueprint",
                "instructor",
                "starts_at",
                "room",
                "learners",
                "learner_emails",
            )
        ],
        base_form_class=ExamSittingForm,
    )


class ExamsViewSetGroup(SnippetViewSetGroup):
    menu_label = "Mock exams"
    menu_icon = "doc-full"
    items = (
        QuestionViewSet,
        BlueprintViewSet,
        AccommodationViewSet,
        ExamSittingViewSet,
    )


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


def _reviewed(model_or_instance) -> bool:
    model = (
        model_or_instance
        if isinstance(model_or_instance, type)
        else type(model_or_instance)
    )
    return issubclass(model, REVIEWED_MODELS)


@hooks.register("construct_snippet_action_menu")
def hide_direct_publish(menu_items, request, context):
    if _reviewed(context["model"]) and not is_administrator(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_create_snippet")
@hooks.register("before_edit_snippet")
def refuse_direct_publish(request, model_or_instance):
    if (
        _reviewed(model_or_instance)
        and request.method == "POST"
        and "action-publish" in request.POST
        and not is_administrator(request.user)
    ):
        messages.error(request, PUBLISH_THROUGH_REVIEW)
        return redirect(request.get_full_path())
    return None
