import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.management.commands.create_demo_accounts import REFUSED_IN_PRODUCTION

NO_TOTP = "{email} has no TOTP authenticator."


class Command(BaseCommand):
    help = "Print the current TOTP code of a local demo account."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError(REFUSED_IN_PRODUCTION)
        authenticator = Authenticator.objects.filter(
            user__email=email, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(NO_TOTP.format(email=email))
        secret = decrypt(authenticator.data["secret"])
        self.stdout.write(
            format_hotp_value(
                hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD)
            )
        )
