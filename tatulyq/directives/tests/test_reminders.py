"""Deadline reminders: who is reminded, once per event, in their language, every hour."""

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tatulyq.accounts.models import Membership, Role, User
from tatulyq.accounts.services import invite_user
from tatulyq.directives import reminders, services, tasks
from tatulyq.directives.models import Recipient, Reminder, ResponseKind
from tatulyq.orgs.models import Organisation, OrganisationKind

TODAY = datetime.date(2026, 3, 10)
DAY = datetime.timedelta(days=1)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def membership(world, name, organisation):
    return Membership.objects.get(user=getattr(world.users, name), organisation=organisation)


def issue(world, *, deadline, recipients, number="07-R", today=TODAY):
    """A letter of the Ministry to some region akimats, issued five days before today."""
    return services.issue_directive(
        author=membership(world, "ministry", world.ministry), recipients=recipients,
        required=[ResponseKind.FREE_REPORT], outgoing_number=number,
        issued_on=min(today, deadline) - 5 * DAY, deadline=deadline,
        subject="Мектеп медиациясы туралы", text_kk="Мәтін", signatory_name="Е. Оспан",
        signatory_position="Вице-министр", executor_name="Ж. Нұржан", executor_phone="74-19-94",
    )


def other_akimat(code="550000000"):
    """A region akimat whose demo head is an inactive placeholder, so nobody is told there
    unless a test invites somebody."""
    return Organisation.objects.get(kind=OrganisationKind.REGIONAL_AKIMAT, territory__code=code)


def invite(world, organisation, email, *, language="kk", is_admin=True):
    member = invite_user(
        inviter=membership(world, "ministry", world.ministry), email=email,
        full_name="Айгерім Тестова", organisation=organisation,
        role=Role.REGIONAL_COORDINATOR, is_admin=is_admin,
    )
    User.objects.filter(pk=member.user_id).update(preferred_language=language)
    return Membership.objects.select_related("user").get(pk=member.pk)


def mails_about(letter):
    return [m for m in mail.outbox if letter.outgoing_number in m.subject]


def due_for(letter, today=TODAY):
    return [(r.organisation, kind) for r, kind in reminders.due_reminders(today)
            if r.directive_id == letter.pk]


def jambyl_row(letter):
    return Recipient.objects.get(directive=letter, organisation__territory__code="310000000")


def test_a_near_deadline_is_reminded_before_it(world):
    soon = issue(world, deadline=TODAY + 3 * DAY, recipients=[world.jambyl_akimat])
    later = issue(world, deadline=TODAY + 4 * DAY, recipients=[world.jambyl_akimat], number="08-R")
    assert due_for(soon) == [(world.jambyl_akimat, "before")]
    assert due_for(later) == []


def test_reminder_days_before_is_a_setting(world, settings):
    settings.REMINDER_DAYS_BEFORE = 5
    letter = issue(world, deadline=TODAY + 5 * DAY, recipients=[world.jambyl_akimat])
    assert due_for(letter) == [(world.jambyl_akimat, "before")]


def test_a_passed_deadline_is_reminded_as_overdue(world):
    letter = issue(world, deadline=TODAY - DAY, recipients=[world.jambyl_akimat])
    assert due_for(letter) == [(world.jambyl_akimat, "overdue")]
    reminders.send_all_due(TODAY)
    [message] = mails_about(letter)
    assert message.to == ["region@tatulyq.example"]
    assert "09.03.2026" in message.subject


def test_the_deadline_day_itself_is_still_before(world):
    letter = issue(world, deadline=TODAY, recipients=[world.jambyl_akimat])
    assert due_for(letter) == [(world.jambyl_akimat, "before")]


def test_an_event_is_reminded_only_once(world):
    letter = issue(world, deadline=TODAY + 2 * DAY, recipients=[world.jambyl_akimat])
    assert reminders.send_all_due(TODAY) >= 1
    reminders.send_all_due(TODAY)
    row = jambyl_row(letter)
    assert reminders.send_reminder(row, "before", today=TODAY) is False  # a second worker
    assert len(mails_about(letter)) == 1
    assert Reminder.objects.filter(recipient__directive=letter).count() == 1
    assert due_for(letter) == []


def test_before_and_overdue_are_separate_events(world):
    letter = issue(world, deadline=TODAY + DAY, recipients=[world.jambyl_akimat])
    reminders.send_all_due(TODAY)
    reminders.send_all_due(TODAY + 2 * DAY)
    kinds = Reminder.objects.filter(recipient__directive=letter).values_list("kind", flat=True)
    assert sorted(kinds) == ["before", "overdue"]
    assert len(mails_about(letter)) == 2


def test_a_changed_deadline_reminds_again(world):
    letter = issue(world, deadline=TODAY + DAY, recipients=[world.jambyl_akimat])
    reminders.send_all_due(TODAY)
    Recipient.objects.filter(directive=letter).update(deadline=TODAY + 3 * DAY)
    assert due_for(letter) == [(world.jambyl_akimat, "before")]
    reminders.send_all_due(TODAY)
    assert len(mails_about(letter)) == 2
    assert sorted(Reminder.objects.filter(recipient__directive=letter)
                  .values_list("deadline", flat=True)) == [TODAY + DAY, TODAY + 3 * DAY]


def test_answered_and_accepted_recipients_are_not_reminded(world):
    letter = issue(world, deadline=TODAY + 2 * DAY, recipients=[world.jambyl_akimat])
    head = membership(world, "region", world.jambyl_akimat)
    row = jambyl_row(letter)
    services.save_answer(author=head, recipient=row, report_text="Орындалды.", specialists=[],
                         measures=[])
    services.sign_off_answer(head=head, recipient=row)
    assert due_for(letter) == []
    assert due_for(letter, TODAY + 5 * DAY) == []  # nor once the deadline has passed
    services.accept_answer(reviewer=membership(world, "ministry", world.ministry), recipient=row)
    assert due_for(letter, TODAY + 5 * DAY) == []
    reminders.send_all_due(TODAY)
    assert mails_about(letter) == []


def test_an_answer_returned_for_correction_is_reminded(world):
    letter = issue(world, deadline=TODAY + 2 * DAY, recipients=[world.jambyl_akimat])
    head = membership(world, "region", world.jambyl_akimat)
    row = jambyl_row(letter)
    services.save_answer(author=head, recipient=row, report_text="Орындалды.", specialists=[],
                         measures=[])
    services.sign_off_answer(head=head, recipient=row)
    services.return_answer(reviewer=membership(world, "ministry", world.ministry), recipient=row,
                           comment="Толықтырыңыз.")
    assert due_for(letter) == [(world.jambyl_akimat, "before")]


def test_the_email_is_in_each_persons_language(world, settings):
    pavlodar = other_akimat()
    invite(world, pavlodar, "pavlodar@tatulyq.example", language="ru")
    letter = issue(world, deadline=TODAY + 2 * DAY, recipients=[world.jambyl_akimat, pavlodar])
    reminders.send_all_due(TODAY)
    by_address = {m.to[0]: m for m in mails_about(letter)}
    assert set(by_address) == {"region@tatulyq.example", "pavlodar@tatulyq.example"}
    kk, ru = by_address["region@tatulyq.example"], by_address["pavlodar@tatulyq.example"]
    assert kk.body != ru.body
    for message, language in ((kk, "kk"), (ru, "ru")):
        assert "07-R" in message.body and "12.03.2026" in message.body
        assert "07-R" in message.subject and "12.03.2026" in message.subject
        assert f"{settings.SITE_URL}/{language}/instructions/{letter.pk}/" in message.body
    assert "Шығыс нөмірі: 07-R" in kk.body and "Мерзімі: 12.03.2026" in kk.body
    assert "Исходящий номер: 07-R" in ru.body and "Срок: 12.03.2026" in ru.body
    assert "Министерство просвещения" in ru.body  # the issuer's name in Russian
    assert re.search(r"^.+: 2$", kk.body, re.MULTILINE)  # days left


def test_the_resolution_people_are_reminded_instead_of_administrators(world):
    letter = issue(world, deadline=TODAY - 3 * DAY, recipients=[world.jambyl_akimat])
    executor = invite(world, world.jambyl_akimat, "executor@tatulyq.example", is_admin=False)
    controller = invite(world, world.jambyl_akimat, "controller@tatulyq.example", is_admin=False)
    services.assign_resolution(
        author=membership(world, "region", world.jambyl_akimat), recipient=jambyl_row(letter),
        executors=[executor], responsible=executor, controller=controller,
        internal_deadline=TODAY - 4 * DAY,
    )
    reminders.send_all_due(TODAY)
    assert sorted(m.to[0] for m in mails_about(letter)) == [
        "controller@tatulyq.example", "executor@tatulyq.example"]
    assert all("Кешігу (күн): 3" in m.body for m in mails_about(letter))


def test_nobody_to_tell_still_counts_as_reminded(world):
    letter = issue(world, deadline=TODAY + DAY, recipients=[other_akimat()])
    assert reminders.send_all_due(TODAY) >= 1
    assert mails_about(letter) == []
    assert Reminder.objects.filter(recipient__directive=letter).count() == 1


def test_a_reminder_that_could_not_be_sent_is_tried_again(world, monkeypatch):
    letter = issue(world, deadline=TODAY + DAY, recipients=[world.jambyl_akimat])

    def mail_server_down(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(reminders, "send_mail", mail_server_down)
    reminders.send_all_due(TODAY)  # logs the failure, does not stop
    assert not Reminder.objects.filter(recipient__directive=letter).exists()
    monkeypatch.undo()
    reminders.send_all_due(TODAY)
    assert len(mails_about(letter)) == 1


# The tasks: with the immediate backend of the tests they run inline.

def test_with_the_immediate_backend_the_tasks_run_inline(world):
    today = reminders.local_today()
    letter = issue(world, deadline=today + DAY, recipients=[world.jambyl_akimat], today=today)
    result = tasks.send_due_reminders.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value >= 1
    assert len(mails_about(letter)) == 1
    result = tasks.reminder_scheduler.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 0  # everything was already sent
    call_command("schedule_reminders", verbosity=0)  # runs inline as well
    assert len(mails_about(letter)) == 1
    assert not DBTaskResult.objects.exists()  # nothing waits in a queue


# The scheduler on the database backend, as `make run` uses it.

def run_like_the_worker(row: DBTaskResult) -> DBTaskResult:
    row.claim("test-worker")
    Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="test-worker",
           excluded_queue_names=[]).run_task(row)
    row.refresh_from_db()
    return row


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def waiting():
    return list(tasks.pending_schedulers())


def test_the_scheduler_keeps_exactly_one_run_waiting(world, database_queue):
    today = reminders.local_today()
    letter = issue(world, deadline=today + DAY, recipients=[world.jambyl_akimat], today=today)
    call_command("schedule_reminders", verbosity=0)
    call_command("schedule_reminders", verbosity=0)  # idempotent
    [first] = waiting()
    assert first.task_path == "tatulyq.directives.tasks.reminder_scheduler"
    assert mails_about(letter) == []  # enqueued, not run

    done = run_like_the_worker(first)
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value >= 1
    assert len(mails_about(letter)) == 1
    [second] = waiting()
    assert second.run_after == tasks.next_full_hour(done.started_at)

    call_command("schedule_reminders", verbosity=0)
    assert waiting() == [second]
    run_like_the_worker(second)
    assert len(waiting()) == 1 and waiting()[0].pk not in {first.pk, second.pk}
    assert len(mails_about(letter)) == 1  # the next hour sends nothing new
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_two_waiting_runs_collapse_into_one(world, database_queue):
    tasks.reminder_scheduler.enqueue()
    tasks.reminder_scheduler.enqueue()  # as if two servers had started at once without a lock
    one, other = waiting()
    run_like_the_worker(one)
    assert waiting() == [other]  # the other one was still waiting: no new run
    run_like_the_worker(other)
    assert len(waiting()) == 1


def test_a_failing_run_still_schedules_the_next(world, database_queue, monkeypatch):
    def broken(today=None):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(reminders, "send_all_due", broken)
    call_command("schedule_reminders", verbosity=0)
    [first] = waiting()
    assert run_like_the_worker(first).status == TaskResultStatus.FAILED
    assert len(waiting()) == 1


def test_next_full_hour():
    moment = datetime.datetime(2026, 3, 10, 23, 41, 7, tzinfo=datetime.UTC)
    assert tasks.next_full_hour(moment) == datetime.datetime(2026, 3, 11, 0, 0, tzinfo=datetime.UTC)
