"""Background tasks of the directives app: deadline reminders, sent every hour.

`reminder_scheduler` chains itself: each run sends what is due, then enqueues the
next run for the next full hour, unless a run is already waiting. `manage.py
schedule_reminders` (called by `make run` before the worker starts) starts the chain
or leaves the waiting run alone, so there is always exactly one.
"""

import datetime

from django.db import connections, router, transaction
from django.tasks import TaskResult, task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from . import reminders

# Any fixed number: the PostgreSQL advisory lock that serialises "is a run waiting?".
SCHEDULER_LOCK = 7_202_604


@task
def send_due_reminders() -> int:
    """Send every reminder due today (Asia/Almaty); returns how many were sent."""
    return reminders.send_all_due()


@task
def reminder_scheduler() -> int:
    """Send the due reminders, then make sure the next hourly run is waiting."""
    try:
        return reminders.send_all_due()
    finally:  # whatever happened, the chain must go on
        ensure_scheduled(run_after=next_full_hour())


def next_full_hour(now: datetime.datetime | None = None) -> datetime.datetime:
    now = now or timezone.now()
    return now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)


def pending_schedulers():
    """Scheduler runs waiting in the database queue (not the one running now)."""
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=reminder_scheduler.module_path,
        backend_name=reminder_scheduler.get_backend().alias,
    )


def ensure_scheduled(*, run_after: datetime.datetime | None = None) -> TaskResult | None:
    """Enqueue the scheduler (now, or at run_after) unless a run is already waiting;
    returns the new task's result, or None when nothing was enqueued."""
    if not isinstance(reminder_scheduler.get_backend(), DatabaseBackend):
        # No queue to look into (the immediate backend runs a task as it is enqueued):
        # a first enqueue runs the reminders inline; the run does not chain itself.
        return None if run_after else reminder_scheduler.enqueue()
    using = router.db_for_write(DBTaskResult)
    with transaction.atomic(using=using):
        _lock_scheduling(using)
        if pending_schedulers().exists():
            return None
        scheduled = reminder_scheduler.using(run_after=run_after) if run_after else reminder_scheduler
        return scheduled.enqueue()


def _lock_scheduling(using: str) -> None:
    """Two processes checking at once must not both enqueue. SQLite's IMMEDIATE
    transactions (settings) already serialise writers; PostgreSQL needs a lock."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEDULER_LOCK])
