"""Authentication backends that load the signed-in user with what the two-factor
middleware needs to know on every request, in the same query."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Exists, OuterRef


class _UserWithTwoFactorRole:
    def get_user(self, user_id):
        User = get_user_model()
        in_staff_group = User.groups.through.objects.filter(
            user_id=OuterRef("pk"),
            group__name__in=settings.TWO_FACTOR_REQUIRED_GROUPS,
        )
        user = (
            User._default_manager.annotate(in_two_factor_group=Exists(in_staff_group))
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserWithTwoFactorRole, DjangoModelBackend):
    pass


class AuthenticationBackend(_UserWithTwoFactorRole, AllauthBackend):
    pass
