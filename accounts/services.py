from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.db import transaction

from .roles import Role, assign_role


@transaction.atomic
def user_ensure(
    *, email: str, password: str, role: Role, display_name: str = ""
) -> tuple[object, bool]:
    """Create a user with a verified email and a role, or return the existing one.

    An existing user keeps its password and data; only the role is added, and the
    name if it has none (accounts made before names were asked for).
    """
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": display_name}
    )
    if created:
        user.set_password(password)
        if role == Role.ADMINISTRATOR:
            user.is_staff = user.is_superuser = True
        user.save()
    elif display_name and not user.display_name:
        user_rename(user=user, display_name=display_name)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    assign_role(user, role)
    return user, created


@transaction.atomic
def user_enable_totp(*, user, secret: str) -> None:
    """Turn on TOTP with a known secret (demo accounts) plus recovery codes."""
    if not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists():
        TOTP.activate(user, secret)
    RecoveryCodes.activate(user)


def user_rename(*, user, display_name: str) -> None:
    """Set the name the site addresses `user` by."""
    user.display_name = display_name
    user.save(update_fields=["display_name"])
