from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tatulyq.accounts import demo as accounts_demo
from tatulyq.cases import demo as cases_demo
from tatulyq.directives import demo as directives_demo
from tatulyq.grants import demo as grants_demo
from tatulyq.monitoring import demo as monitoring_demo
from tatulyq.orgs import demo as orgs_demo


class Command(BaseCommand):
    help = "Load the demo organisations and users (idempotent). Refused in production."

    def handle(self, *args, **options):
        if settings.IS_PROD:
            raise CommandError("Demo data is never loaded when TATULYQ_ENV=prod.")
        with transaction.atomic():
            orgs = orgs_demo.build()
            users = accounts_demo.build(orgs)
            directives_demo.build(orgs)
            grants_demo.build(orgs)
            cases_demo.build(orgs)
            monitoring_demo.build(orgs)
        self.stdout.write(
            f"Demo data ready: {len(orgs['schools'])} schools in T. Ryskulov district, "
            f"{len(users)} demo users (password in README)."
        )
