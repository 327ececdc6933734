"""An invited learner joins their classes as soon as they log in or sign up."""

from allauth.account.signals import user_logged_in, user_signed_up
from django.dispatch import receiver

from cohorts.services import invitations_accept


@receiver(user_logged_in, dispatch_uid="cohorts_accept_on_login")
@receiver(user_signed_up, dispatch_uid="cohorts_accept_on_signup")
def accept_invitations(sender, request, user, **kwargs) -> None:
    invitations_accept(user=user)
