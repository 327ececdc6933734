from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Send a strict Content-Security-Policy; every asset is served by the site."""

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
        return response
