"""The site's main navigation. An entry names a URL; entries whose URL does not
exist yet (an app not installed) are left out rather than linking to a 404."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, Resolver404, resolve, reverse

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
    NavItem("Billing", "billing:library", needs_login=True),
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


# Why the login page is shown, by where the visitor was going: a URL's view name,
# else its namespace, else its first path segment (allauth's and the admins' URLs
# have no namespace). "Log in or create a free account to <purpose>."
PURPOSES = {
    "core:dashboard": "open your dashboard",
    "case_studies:practice": "practise this case",
    "case_studies": "open the case library",
    "billing": "practise billing",
    "courses": "open your courses",
    "exams": "take the mock exams",
    "readiness": "see your exam readiness",
    "cohorts:join": "join the class",
    "cohorts:join_by_code": "join the class",
    "cohorts": "open your classes",
    "gradebook": "open the gradebook",
    "disputes": "open your disputes",
    "item_analysis": "open item analysis",
    "notifications": "read your notifications",
    "privacy": "see your data",
    "accounts": "open your account settings",
    "admin": "open the authoring area",
    "django-admin": "open the site administration",
}
PURPOSE_UNKNOWN = "open that page"


def login_purpose(next_path: str) -> str:
    """What the visitor sent to the login page was about to do, from the path they
    were going to (a path of this site; anything else gets the generic wording)."""
    try:
        match = resolve(next_path)
    except Resolver404:
        return PURPOSE_UNKNOWN
    for key in (match.view_name, match.namespace, match.route.split("/", 1)[0]):
        if key in PURPOSES:
            return PURPOSES[key]
    return PURPOSE_UNKNOWN
