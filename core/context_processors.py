from django.contrib.auth.models import AnonymousUser

from .navigation import nav_links


def navigation(request):
    # Error pages can render before the authentication middleware has run.
    user = getattr(request, "user", None) or AnonymousUser()
    return {"nav_links": nav_links(user, request.path)}
