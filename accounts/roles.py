"""Roles are Django groups, created by a data migration."""

from django.contrib.auth.models import Group
from django.db.models import TextChoices


class Role(TextChoices):
    LEARNER = "Learner"
    INSTRUCTOR = "Instructor"
    ADMINISTRATOR = "Administrator"


def user_has_role(user, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=role).exists()


def assign_role(user, role: Role) -> None:
    user.groups.add(Group.objects.get(name=role))


def is_instructor(user) -> bool:
    return user_has_role(user, Role.INSTRUCTOR) or user.is_superuser
