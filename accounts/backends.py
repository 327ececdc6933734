"""Authentication backends that load the signed-in user, on every request, with
what the two-factor middleware needs to know, in one query."""

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import Exists, OuterRef

_PK_PLACEHOLDER = -7_000_000_001


@cache
def _user_query() -> tuple[str, tuple]:
    """The SQL and leading parameters of the user query, compiled once: compiling
    it (an annotated subquery) costs several times more CPU than running it."""
    User = get_user_model()
    in_staff_group = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name__in=settings.TWO_FACTOR_REQUIRED_GROUPS
    )
    query = (
        User._default_manager.annotate(in_two_factor_group=Exists(in_staff_group))
        .filter(pk=_PK_PLACEHOLDER)
        .query
    )
    sql, params = query.sql_with_params()
    if params[-1] != _PK_PLACEHOLDER:
        raise AssertionError("the user's primary key must be the last parameter")
    return sql, params[:-1]


class _UserWithTwoFactorRole:
    def get_user(self, user_id):
        sql, params = _user_query()
        users = get_user_model()._default_manager.raw(sql, [*params, user_id])
        user = next(iter(users), None)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_UserWithTwoFactorRole, DjangoModelBackend):
    pass


class AuthenticationBackend(_UserWithTwoFactorRole, AllauthBackend):
    pass
