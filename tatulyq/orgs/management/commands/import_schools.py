from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tatulyq.lib.tabular import TableError, read_table
from tatulyq.orgs.services import import_schools


class Command(BaseCommand):
    help = "Import schools from a CSV or XLSX file; all rows or none, with a row-by-row report."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            table = read_table(path.read_bytes(), path.name)
        except (OSError, TableError) as error:
            raise CommandError(str(error)) from None
        report = import_schools(table=table, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} problem(s); nothing was written.")
        verb = "would be created (dry run)" if dry_run else "created"
        self.stdout.write(f"{report.created} schools {verb}.")
