from django.core.management.base import BaseCommand

from tatulyq.directives.tasks import ensure_scheduled


class Command(BaseCommand):
    help = ("Start the hourly deadline reminders: enqueue the reminder scheduler unless a run "
            "is already waiting (safe to run at every start).")

    def handle(self, *args, **options):
        result = ensure_scheduled()
        if not options["verbosity"]:
            return
        if result is None:
            self.stdout.write("The reminder scheduler is already waiting in the queue.")
        else:
            self.stdout.write(f"Reminder scheduler enqueued (task {result.id}, {result.status}).")
