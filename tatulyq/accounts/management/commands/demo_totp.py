import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from tatulyq.accounts.demo import DEMO_TOTP_KEY, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo users (demo mode only)."

    def handle(self, *args, **options):
        if settings.IS_PROD:
            raise CommandError("There are no demo users in production.")
        code = totp(bytes.fromhex(DEMO_TOTP_KEY))
        remaining = 30 - int(time.time()) % 30
        self.stdout.write(f"{code:06d}  (valid for {remaining} more seconds; key {DEMO_TOTP_SECRET})")
