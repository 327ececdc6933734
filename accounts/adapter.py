from allauth.account.adapter import DefaultAccountAdapter

from .roles import Role, assign_role


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who signs up is a Learner; other roles are granted by administrators."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            assign_role(user, Role.LEARNER)
        return user
