"""Reading instructions: what a membership may see, the inbox, the control sheet."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership
from tatulyq.lib.collation import sort_key
from tatulyq.orgs.models import Organisation

from .models import Directive, ImplementationCard, Recipient, RecipientStatus, ResponsibleSpecialist

DONE = (RecipientStatus.ANSWERED, RecipientStatus.ACCEPTED)


def visible_directives(membership: Membership | None) -> QuerySet[Directive]:
    """Letters issued within the membership's reach, or addressed to its organisation."""
    if membership is None:
        return Directive.objects.none()
    reach = scoping.reach_of(membership.organisation)
    return Directive.objects.filter(
        Q(issuer__path__startswith=reach.path)
        | Q(recipients__organisation_id=membership.organisation_id)
    ).exclude(status=Directive.Status.DRAFT).distinct()


def get_directive_or_404(membership: Membership | None, pk: int) -> Directive:
    try:
        return visible_directives(membership).select_related("issuer", "parent__issuer").get(pk=pk)
    except (Directive.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_recipient_or_404(membership: Membership | None, pk: int) -> Recipient:
    """A recipient row: its own organisation, or anyone whose reach holds the issuer."""
    if membership is None:
        raise Http404
    reach = scoping.reach_of(membership.organisation)
    try:
        return Recipient.objects.select_related("directive__issuer", "organisation").get(
            Q(organisation_id=membership.organisation_id)
            | Q(directive__issuer__path__startswith=reach.path),
            pk=pk,
        )
    except (Recipient.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def is_overdue(status: str, deadline: datetime.date, answered_at, today: datetime.date) -> bool:
    if status in DONE:
        return answered_at is not None and timezone.localdate(answered_at) > deadline
    return today > deadline


def days_late(status: str, deadline: datetime.date, answered_at, today: datetime.date) -> int:
    end = timezone.localdate(answered_at) if status in DONE and answered_at else today
    return max(0, (end - deadline).days)


def inbox(membership: Membership) -> QuerySet[Recipient]:
    """Letters addressed to the membership's organisation, the nearest deadline first."""
    return (
        Recipient.objects.filter(organisation_id=membership.organisation_id,
                                 directive__status=Directive.Status.SENT)
        .select_related("directive__issuer", "answer", "resolution__responsible__user")
        # What still needs an answer first, the nearest deadline on top.
        .annotate(done=Case(When(status__in=DONE, then=Value(1)), default=Value(0)))
        .order_by("done", "deadline", "-id")
    )


@dataclass
class ControlRow:
    recipient_id: int
    organisation_id: int
    organisation_name: str
    organisation_path: str
    level_name: str
    status: str
    status_label: str
    deadline: datetime.date
    answered_at: datetime.datetime | None
    overdue: bool
    days_late: int
    forwarded: bool
    below_total: int = 0
    below_done: int = 0
    below_overdue: int = 0


@dataclass
class ControlSheet:
    directive: Directive
    node: Organisation | None
    rows: list[ControlRow] = field(default_factory=list)
    total: int = 0
    done: int = 0
    overdue: int = 0


def control_sheet(*, root: Directive, membership: Membership, under: Organisation | None = None,
                  status: str = "", overdue_only: bool = False) -> ControlSheet:
    """Every recipient of a cascade seen from one level: the rows directly below `under`
    (the top recipients by default), each with the roll-up of everything below it.
    A fixed number of queries, whatever the number of recipients."""
    today = timezone.localdate()
    reach = scoping.reach_of(membership.organisation)
    cascade = Recipient.objects.filter(root=root, organisation__path__startswith=reach.path)
    if under is None:
        rows_qs = cascade.filter(directive=root)
    else:
        rows_qs = cascade.filter(directive__forwarded_from__organisation=under)
    rows_qs = rows_qs.select_related("organisation").annotate(has_forward=Count("forward"))
    if status:
        rows_qs = rows_qs.filter(status=status)
    rows = []
    for r in rows_qs:
        overdue = is_overdue(r.status, r.deadline, r.answered_at, today)
        if overdue_only and not overdue:
            continue
        rows.append(ControlRow(
            recipient_id=r.pk, organisation_id=r.organisation_id,
            organisation_name=r.organisation.name, organisation_path=r.organisation.path,
            level_name=r.organisation.get_kind_display(), status=r.status,
            status_label=r.get_status_display(), deadline=r.deadline, answered_at=r.answered_at,
            overdue=overdue, days_late=days_late(r.status, r.deadline, r.answered_at, today),
            forwarded=bool(r.has_forward),
        ))
    rows.sort(key=lambda row: sort_key(row.organisation_name))
    _roll_up(rows, cascade, today)
    totals = cascade.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status__in=DONE)),
        overdue=Count("id", filter=~Q(status__in=DONE) & Q(deadline__lt=today)),
    )
    return ControlSheet(directive=root, node=under, rows=rows, **totals)


def _roll_up(rows: list[ControlRow], cascade: QuerySet[Recipient], today) -> None:
    """For each row, how many recipients below it answered or are late.

    One query reads (path, status, deadline) of the whole cascade in reach; each
    recipient is then credited to the displayed row whose path prefixes its own.
    Paths are at most six ids deep, so this is linear in the cascade's size."""
    if not rows:
        return
    by_path = {row.organisation_path: row for row in rows}
    for path, status, deadline in cascade.values_list(
        "organisation__path", "status", "deadline"
    ).iterator(chunk_size=5000):
        cut = len(path)
        while True:
            cut = path.rfind("/", 0, cut - 1) + 1
            if cut <= 1:
                break
            row = by_path.get(path[:cut])
            if row is not None:
                row.below_total += 1
                if status in DONE:
                    row.below_done += 1
                elif deadline < today:
                    row.below_overdue += 1
                break


def specialists_table(programme_id: int | None = None) -> QuerySet[ImplementationCard]:
    """The 20 implementation cards with their current responsible specialist."""
    cards = ImplementationCard.objects.select_related("project", "region", "stage", "organisation")
    if programme_id:
        cards = cards.filter(project__programme_id=programme_id)
    return cards.prefetch_related(
        _current_specialist_prefetch()
    ).order_by("project__number", "region__code")


def _current_specialist_prefetch():
    return Prefetch("specialists", queryset=ResponsibleSpecialist.objects.filter(is_current=True),
                    to_attr="current_specialists")
