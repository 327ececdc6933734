from django.conf import settings


class SecurityHeadersMiddleware:
    """Send a strict Content-Security-Policy (every asset is served by the site) and
    a Permissions-Policy on every response, and keep authenticated JSON out of every
    cache: it is one person's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path.startswith(
                settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES
            )
            response["Content-Security-Policy"] = (
                settings.CONTENT_SECURITY_POLICY_ADMIN
                if admin
                else settings.CONTENT_SECURITY_POLICY
            )
        response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        if _is_json(response) and _is_authenticated(request):
            response["Cache-Control"] = "private, no-store"
        return response


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def _is_authenticated(request) -> bool:
    # Runs outside the session middleware: a request stopped before it has no user.
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
