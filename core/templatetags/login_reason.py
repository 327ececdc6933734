from urllib.parse import urlsplit

from django import template
from django.utils.http import url_has_allowed_host_and_scheme

from core.navigation import login_purpose

register = template.Library()

SIGN_IN_TO = "Log in or create a free account to {purpose}."
# A signed-in user is sent to the login page when their account lacks the rights.
OTHER_ACCOUNT_TO = "This account cannot {purpose}. Log in with one that can."


@register.simple_tag(takes_context=True)
def login_reason(context) -> str:
    """{% login_reason as reason %}: why the login page is shown, when it was
    reached on the way to a page of this site (`?next=`); else ""."""
    request = context["request"]
    next_url = request.GET.get("next", "")
    if not next_url or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    purpose = login_purpose(urlsplit(next_url).path)
    wording = OTHER_ACCOUNT_TO if request.user.is_authenticated else SIGN_IN_TO
    return wording.format(purpose=purpose)
