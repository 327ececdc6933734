"""Authentication backends that load the signed-in user, on every request, with
whether two-factor authentication is required of them (any privileged permission,
by a group or directly), in one query; that answer also settles, without a query,
any check of a privileged permission for a user who holds none."""

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from .roles import PRIVILEGED_PERMISSIONS

_PK_PLACEHOLDER = -7_000_000_001


def holds_privilege() -> ExpressionWrapper:
    """Whether the user holds any privileged permission, by a group or directly."""
    privileged = Q()
    for name in PRIVILEGED_PERMISSIONS:
        app_label, codename = name.split(".")
        privileged |= Q(content_type__app_label=app_label, codename=codename)
    via_group = Permission.objects.filter(privileged, group__user=OuterRef("pk"))
    via_user = Permission.objects.filter(privileged, user=OuterRef("pk"))
    return ExpressionWrapper(
        Exists(via_group) | Exists(via_user), output_field=BooleanField()
    )


@cache
def _user_query() -> tuple[str, tuple]:
    """The SQL and leading parameters of the user query, compiled once: compiling
    it (an annotated subquery) costs several times more CPU than running it.

    Measured against the ORM building it on every request (`make bench`,
    benchmarks/bench_exams.py, 2026-12-03, three runs): +55%, +89% and +105%
    saves per CPU second of gunicorn, so it stays (issue #18 asks for 20%). It leans on
    `Query.sql_with_params` giving the primary key as the last parameter, pinned
    by tests/accounts/test_backends.py."""
    query = (
        get_user_model()
        ._default_manager.annotate(holds_privilege=holds_privilege())
        .filter(pk=_PK_PLACEHOLDER)
        .query
    )
    sql, params = query.sql_with_params()
    if params[-1] != _PK_PLACEHOLDER:
        raise AssertionError("the user's primary key must be the last parameter")
    return sql, params[:-1]


class _UserWithPrivilege:
    def get_user(self, user_id):
        sql, params = _user_query()
        users = get_user_model()._default_manager.raw(sql, [*params, user_id])
        user = next(iter(users), None)
        return user if user is not None and self.user_can_authenticate(user) else None

    def has_perm(self, user_obj, perm, obj=None):
        # A user loaded without any privileged permission holds none of them; the
        # site header asks for one on every page, which would read every
        # permission of a learner (two queries) to answer no.
        if (
            perm in PRIVILEGED_PERMISSIONS
            and getattr(user_obj, "holds_privilege", None) in (False, 0)
            and not user_obj.is_superuser
        ):
            return False
        return super().has_perm(user_obj, perm, obj)


class ModelBackend(_UserWithPrivilege, DjangoModelBackend):
    pass


class AuthenticationBackend(_UserWithPrivilege, AllauthBackend):
    pass
