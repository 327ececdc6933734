"""A link from the Wagtail admin to the course reports instructors read."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_menu_item")
def register_course_reports_menu_item():
    return MenuItem(
        "Course reports", reverse("courses:teach"), icon_name="table", order=300
    )
