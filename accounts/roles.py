"""Roles are Django groups, created by data migrations, that carry permissions.

Every check asks for a permission, never a group's name: a right granted by any
group, or to the user directly, counts the same.
"""

from django.contrib.auth.models import Group
from django.db.models import Q, TextChoices

INSTRUCT = "accounts.instruct"
ADMINISTER = "accounts.administer"
ACCESS_WAGTAIL_ADMIN = "wagtailadmin.access_admin"
# Holding any of these (or being staff or a superuser) makes an account worth
# stealing, so its every session must pass two-factor authentication.
PRIVILEGED_PERMISSIONS = (ACCESS_WAGTAIL_ADMIN, INSTRUCT, ADMINISTER)


class Role(TextChoices):
    LEARNER = "Learner"
    INSTRUCTOR = "Instructor"
    ADMINISTRATOR = "Administrator"


def assign_role(user, role: Role) -> None:
    user.groups.add(Group.objects.get(name=role))


def is_instructor(user) -> bool:
    """May author content, try answer keys and follow learners' progress."""
    return user.has_perm(INSTRUCT)


def is_administrator(user) -> bool:
    """May manage every course and publish without a second instructor's review."""
    return user.has_perm(ADMINISTER)


def _holding(permission: str) -> Q:
    """Active users holding `permission` through a group or directly, or
    superusers, as a query filter on the user model."""
    app_label, codename = permission.split(".", 1)
    granted = {"content_type__app_label": app_label, "codename": codename}
    by_group = {f"groups__permissions__{k}": v for k, v in granted.items()}
    direct = {f"user_permissions__{k}": v for k, v in granted.items()}
    return Q(is_active=True) & (Q(is_superuser=True) | Q(**by_group) | Q(**direct))


def instructor_choices() -> Q:
    """The users `is_instructor` is true of, for a form's choices
    (`limit_choices_to`)."""
    return _holding(INSTRUCT)


def requires_two_factor(user) -> bool:
    """Whether `user` must pass two-factor authentication in every session:
    every privileged account must."""
    return is_privileged(user)


def is_privileged(user) -> bool:
    """Staff, a superuser, or holding a privileged permission (instructing,
    administering, the Wagtail admin): an account that runs the site."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # Our authentication backends load the user with this answer (accounts.backends).
    privileged = getattr(user, "holds_privilege", None)
    if privileged is None:
        return any(user.has_perm(name) for name in PRIVILEGED_PERMISSIONS)
    # A raw query's value: 0 or 1 on SQLite.
    return bool(privileged)
