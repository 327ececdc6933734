"""The site's main navigation. An entry names a URL; entries whose URL does not
exist yet (an app not installed) are left out rather than linking to a 404."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from accounts.roles import is_instructor


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    needs_login: bool = False
    needs_instructor: bool = False


NAV_ITEMS = [
    NavItem("Dashboard", "core:dashboard", needs_login=True),
    NavItem("Courses", "courses:index"),
    NavItem("Case library", "case_studies:library"),
    NavItem("Mock exams", "exams:index", needs_login=True),
    NavItem("Readiness", "readiness:index", needs_login=True),
    NavItem("Code look-up", "codesets:index"),
    NavItem("Teaching", "cohorts:list", needs_instructor=True),
]


def nav_links(user, current_path: str) -> list[dict]:
    links = []
    for item in NAV_ITEMS:
        if item.needs_login and not user.is_authenticated:
            continue
        if item.needs_instructor and not is_instructor(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = current_path == url or (url != "/" and current_path.startswith(url))
        links.append({"label": item.label, "url": url, "current": current})
    return links
