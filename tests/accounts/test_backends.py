"""The signed-in user is loaded on every request, with whether two-factor
authentication is required of them, in one query compiled once."""

import pytest
from django.contrib.auth.models import Permission

from accounts import backends
from accounts.roles import ACCESS_WAGTAIL_ADMIN, INSTRUCT, requires_two_factor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("user_fixture", "required"),
    [("learner", False), ("instructor", True), ("administrator", True)],
)
def test_the_user_and_the_two_factor_rule_load_in_one_query(
    request, django_assert_num_queries, user_fixture, required
):
    user = request.getfixturevalue(user_fixture)
    with django_assert_num_queries(1):
        loaded = backends.ModelBackend().get_user(user.pk)
        assert requires_two_factor(loaded) is required


def test_a_permission_granted_directly_counts(learner):
    learner.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert backends.AuthenticationBackend().get_user(learner.pk).holds_privilege


def test_the_query_is_compiled_once_with_the_key_last(learner):
    """Pins the private query API the fast path leans on: an upgrade that moves the
    primary key's parameter fails here, not by loading the wrong user."""
    backends._user_query.cache_clear()
    sql, params = backends._user_query()
    assert sql.count("%s") == len(params) + 1
    assert backends._user_query() == (sql, params)
    assert backends._user_query.cache_info().misses == 1
    assert backends.ModelBackend().get_user(learner.pk) == learner
    assert backends.ModelBackend().get_user(-1) is None


def test_a_privileged_permission_is_refused_without_a_query_to_whom_holds_none(
    learner, instructor, django_assert_num_queries
):
    loaded = backends.ModelBackend().get_user(learner.pk)
    with django_assert_num_queries(0):
        assert not loaded.has_perm(ACCESS_WAGTAIL_ADMIN)
        assert not loaded.has_perm(INSTRUCT)
    staff = backends.ModelBackend().get_user(instructor.pk)
    assert staff.has_perm(INSTRUCT) and staff.has_perm(ACCESS_WAGTAIL_ADMIN)
