from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tatulyq.cases.retention import anonymise_closed_cases, parse_period


class Command(BaseCommand):
    help = "Remove personal data from cases closed longer ago than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            default=getattr(settings, "CASE_RETENTION", "3y"),
            help="Period such as 3y, 18m or 400d (default: the CASE_RETENTION setting).",
        )

    def handle(self, *args, older_than, **options):
        try:
            period = parse_period(older_than)
        except ValueError as error:
            raise CommandError(str(error)) from None
        count = anonymise_closed_cases(older_than=period)
        self.stdout.write(f"{count} closed case(s) anonymised.")
