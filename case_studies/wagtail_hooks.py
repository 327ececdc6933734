"""Admin rules for pages under a review workflow ("Answer key review", on the
case library and the course index: cases, courses, modules and lessons):
instructors publish them only through the workflow (another instructor
approves); administrators may still publish directly."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from accounts.roles import is_administrator

PUBLISH_THROUGH_REVIEW = (
    "This page goes live when another instructor approves it: use “Submit to "
    "Answer key review”."
)


def _may_publish_directly(user) -> bool:
    return is_administrator(user)


def _reviewed(page) -> bool:
    """Whether `page` (a saved page, or the parent of one being created) is under
    an active workflow: its own or an ancestor's."""
    return page is not None and page.has_workflow


@hooks.register("construct_page_action_menu")
def hide_direct_publish(menu_items, request, context):
    page = context.get("page")
    if context.get("view") == "create":
        page = context.get("parent_page")
    if _reviewed(page) and not _may_publish_directly(request.user):
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
    if _reviewed(page):
        return _refuse_publish(
            request, lambda: redirect("wagtailadmin_pages:edit", page.pk)
        )
    return None


@hooks.register("before_create_page")
def refuse_direct_publish_on_create(request, parent_page, page_class):
    if _reviewed(parent_page):
        return _refuse_publish(
            request, lambda: redirect("wagtailadmin_explore", parent_page.pk)
        )
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if (
        action_type == "publish"
        and any(getattr(obj, "has_workflow", False) for obj in objects)
        and not _may_publish_directly(request.user)
    ):
        messages.error(request, PUBLISH_THROUGH_REVIEW)
        return redirect("wagtailadmin_home")
    return None
