from django.core.management.base import BaseCommand, CommandError

from tatulyq.audit.verification import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exits non-zero at the first bad entry."

    def handle(self, *args, **options):
        report = verify_chain()
        if not report.intact:
            where = f"entry {report.first_bad_id}" if report.first_bad_id else "the chain head"
            raise CommandError(
                f"Audit trail broken at {where}: {report.problem} "
                f"({report.checked} entries verified before it)."
            )
        self.stdout.write(f"Audit trail intact: {report.checked} entries verified.")
