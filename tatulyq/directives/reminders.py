"""Deadline reminders by e-mail: who is due one today, and sending each one only once.

A reminder is an event (recipient, kind, deadline): "before" when the deadline is at
most REMINDER_DAYS_BEFORE days away, "overdue" once it has passed. The Reminder row's
unique constraint is what makes an event go out once, whatever the number of workers;
a changed deadline is a new event and reminds again.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Exists, OuterRef, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tatulyq.accounts.models import Membership, User

from .models import Directive, Recipient, Reminder, Resolution
from .selectors import DONE

logger = logging.getLogger(__name__)


def days_before() -> int:
    return getattr(settings, "REMINDER_DAYS_BEFORE", 3)


def local_today() -> datetime.date:
    """Today in the project's time zone (Asia/Almaty), whatever zone is active."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def due_reminders(today: datetime.date) -> list[tuple[Recipient, str]]:
    """Unanswered recipients whose deadline is near or past and who were not yet reminded of it."""
    already_sent = Reminder.objects.filter(
        recipient=OuterRef("pk"), kind=OuterRef("reminder_kind"), deadline=OuterRef("deadline")
    )
    recipients = (
        Recipient.objects.filter(
            directive__status=Directive.Status.SENT,
            organisation__is_active=True,
            deadline__lte=today + datetime.timedelta(days=days_before()),
        )
        .exclude(status__in=DONE)
        .annotate(reminder_kind=Case(
            When(deadline__lt=today, then=Value(Reminder.Kind.OVERDUE.value)),
            default=Value(Reminder.Kind.BEFORE_DEADLINE.value),
            output_field=CharField(),
        ))
        .exclude(Exists(already_sent))
        .select_related("directive__issuer", "organisation")
        .order_by("deadline", "pk")
    )
    return [(recipient, recipient.reminder_kind) for recipient in recipients]


def people_to_remind(recipient: Recipient) -> list[User]:
    """Who must act: the resolution's responsible executor and controller, else the
    organisation's administrators. Only active people with an e-mail address."""
    memberships: list[Membership] = []
    resolution = (
        Resolution.objects.filter(recipient=recipient)
        .select_related("responsible__user", "controller__user")
        .first()
    )
    if resolution is not None:
        memberships = [m for m in (resolution.responsible, resolution.controller)
                       if m is not None and m.is_active and m.user.is_active]
    if not memberships:  # no resolution, or everyone on it has left
        memberships = list(
            Membership.objects.filter(organisation_id=recipient.organisation_id, is_admin=True,
                                      is_active=True, user__is_active=True)
            .select_related("user").order_by("pk")
        )
    people = {m.user.pk: m.user for m in memberships if m.user.email}
    return list(people.values())


def send_reminder(recipient: Recipient, kind: str, *, today: datetime.date | None = None) -> bool:
    """Record the reminder, then e-mail the people who must act; False if it was already sent."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(recipient=recipient, kind=kind,
                                               deadline=recipient.deadline)
    except IntegrityError:  # another worker took this event first
        return False
    today = today or local_today()
    sent = 0
    try:
        # Nobody to tell still counts as reminded: the hourly run must not reconsider
        # every letter of an organisation without active administrators.
        for user in people_to_remind(recipient):
            _email(user, recipient, kind, today)
            sent += 1
    except Exception:
        if not sent:  # nobody heard of it: let the next run try again
            reminder.delete()
        raise
    return True


def send_all_due(today: datetime.date | None = None) -> int:
    """Send every reminder due today; returns how many events were sent."""
    today = today or local_today()
    count = 0
    for recipient, kind in due_reminders(today):
        try:
            if send_reminder(recipient, kind, today=today):
                count += 1
        except Exception:  # one bad address or mail outage must not stop the others
            logger.exception("Reminder %s for recipient %s was not sent", kind, recipient.pk)
    return count


def _email(user: User, recipient: Recipient, kind: str, today: datetime.date) -> None:
    directive = recipient.directive
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "kind": kind,
            "directive": directive,
            "recipient": recipient,
            "organisation": recipient.organisation,
            "deadline": recipient.deadline,
            "days": abs((recipient.deadline - today).days),
            "link": settings.SITE_URL.rstrip("/") + reverse("directives:detail", args=[directive.pk]),
        }
        subject = render_to_string("directives/email/reminder_subject.txt", context)
        body = render_to_string("directives/email/reminder.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
