from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from accounts.roles import Role
from accounts.services import user_enable_totp, user_ensure

REFUSED_IN_PRODUCTION = (
    "Demo accounts are for local use only; DEMO_ACCOUNTS_ALLOWED is off."
)


class Command(BaseCommand):
    help = "Create the local demo accounts (idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError(REFUSED_IN_PRODUCTION)
        for account in DEMO_ACCOUNTS:
            user, created = user_ensure(
                email=account.email,
                password=DEMO_PASSWORD,
                role=account.role,
                display_name=account.display_name,
            )
            if account.role != Role.LEARNER:
                user_enable_totp(user=user, secret=DEMO_TOTP_SECRET)
            verb = "created" if created else "exists"
            self.stdout.write(f"{account.role:<14} {account.email} ({verb})")
