from django.core.management.base import BaseCommand

from tatulyq.monitoring import rollups


class Command(BaseCommand):
    help = "Recompute every monitoring aggregate from the reports (the incremental ones should match)."

    def handle(self, *args, **options):
        rows = rollups.rebuild()
        self.stdout.write(f"{rows} aggregate rows rebuilt.")
