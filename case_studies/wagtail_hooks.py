"""Admin rules for cases: instructors publish only through "Answer key review"
(another instructor approves); administrators may still publish directly."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from accounts.roles import is_administrator
from case_studies.models import CaseStudyPage

PUBLISH_THROUGH_REVIEW = (
    "Cases are published when another instructor approves them: use “Submit to "
    "Answer key review”."
)


def _may_publish_directly(user) -> bool:
    return is_administrator(user)


def _is_case(page_or_class) -> bool:
    if isinstance(page_or_class, type):
        return issubclass(page_or_class, CaseStudyPage)
    return isinstance(getattr(page_or_class, "specific", page_or_class), CaseStudyPage)


@hooks.register("construct_page_action_menu")
def hide_direct_publish(menu_items, request, context):
    page = context.get("page")
    is_case = _is_case(page) if page is not None else False
    if not is_case and context.get("view") == "create":
        parent = context.get("parent_page")
        is_case = parent is not None and parent.specific_class.__name__ == (
            "CaseLibraryPage"
        )
    if is_case and not _may_publish_directly(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def _refuse_publish(request, redirect_to):
    if (
        request.method == "POST"
        and "action-publish" in request.POST
        and not _may_publish_directly(request.user)
    ):
        messages.error(request, PUBLISH_THROUGH_REVIEW)
        return redirect_to()
    return None


@hooks.register("before_edit_page")
def refuse_direct_publish_on_edit(request, page):
    if _is_case(page):
        return _refuse_publish(
            request, lambda: redirect("wagtailadmin_pages:edit", page.pk)
        )
    return None


@hooks.register("before_create_page")
def refuse_direct_publish_on_create(request, parent_page, page_class):
    if _is_case(page_class):
        return _refuse_publish(
            request, lambda: redirect("wagtailadmin_explore", parent_page.pk)
        )
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if (
        action_type == "publish"
        and any(_is_case(obj) for obj in objects)
        and not _may_publish_directly(request.user)
    ):
        messages.error(request, PUBLISH_THROUGH_REVIEW)
        return redirect("wagtailadmin_home")
    return None
