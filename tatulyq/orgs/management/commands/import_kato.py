from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tatulyq.lib.tabular import TableError, read_table
from tatulyq.orgs.services import import_kato


class Command(BaseCommand):
    help = (
        "Load territories from a KATO file (CSV or XLSX). Columns: code, name_kk, name_ru, "
        "name_en, parent_code (optional) — or stat.gov.kz's te, kaz_name, rus_name."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            table = read_table(path.read_bytes(), path.name)
        except (OSError, TableError) as error:
            raise CommandError(str(error)) from None
        report = import_kato(table=table, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
        if not report.ok:
            raise CommandError(f"{len(report.errors)} problem(s); nothing was written.")
        suffix = " (dry run: nothing written)" if dry_run else ""
        self.stdout.write(f"{report.created} created, {report.updated} renamed{suffix}.")
