"""The programme registry: reading the national table and keeping a region's card.

Reads and writes for the implementation cards live here, apart from the letters."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership, Role
from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.orgs.models import OrganisationLevel

from .models import (
    ImplementationCard,
    MeasureStatus,
    PlannedMeasure,
    Programme,
    ResponsibleSpecialist,
    Stage,
)


def programme() -> Programme | None:
    return Programme.objects.prefetch_related("stages").first()


def current_stage(stages, today=None) -> Stage | None:
    """The latest stage whose period holds today (on 1.12.2026 stages 2 and 3 overlap,
    and summarising is what counts), else the latest one already over."""
    today = today or timezone.localdate()
    holding = [s for s in stages if (s.starts_on or datetime.date.min) <= today <= s.ends_on]
    if holding:
        return max(holding, key=lambda s: s.number)
    past = [s for s in stages if s.ends_on < today]
    return max(past, key=lambda s: s.number) if past else None


def national_table() -> QuerySet[ImplementationCard]:
    """All 20 cards with their specialist and measure counts, in three queries."""
    return (
        ImplementationCard.objects.select_related("project", "region", "stage", "organisation")
        .annotate(
            measures_total=Count("measures", distinct=True),
            measures_done=Count("measures", filter=Q(measures__status=MeasureStatus.DONE), distinct=True),
            budget_total=Sum("measures__budget"),
        )
        .prefetch_related(Prefetch(
            "specialists", queryset=ResponsibleSpecialist.objects.filter(is_current=True),
            to_attr="current_specialists",
        ))
        .order_by("project__number", "region__code")
    )


def can_edit_card(membership: Membership | None, card: ImplementationCard) -> bool:
    """A card is kept by the region's own akimat or education department (and, for
    corrections, by the Ministry and the methodological centre)."""
    if not scoping.can_write(membership):
        return False
    organisation = membership.organisation
    if membership.role in (Role.MINISTRY_OFFICER, Role.METHODOLOGIST, Role.SYSTEM_ADMINISTRATOR):
        return True
    return organisation.level == OrganisationLevel.REGION and organisation.territory_id == card.region_id


def _require_editor(membership: Membership, card: ImplementationCard) -> None:
    if not can_edit_card(membership, card):
        raise ValidationError(_("Only the region's own bodies keep this card."))


@transaction.atomic
def designate_specialist(*, membership: Membership, card: ImplementationCard, full_name: str,
                         position: str, phone: str, email: str = "") -> ResponsibleSpecialist:
    """Name the responsible specialist; the previous one stays in the card's history."""
    _require_editor(membership, card)
    ResponsibleSpecialist.objects.filter(card=card, is_current=True).update(is_current=False)
    specialist = ResponsibleSpecialist.objects.create(
        card=card, full_name=full_name, position=position, phone=phone, email=email,
        designated_on=timezone.localdate(),
    )
    if card.organisation_id is None and membership.organisation.level == OrganisationLevel.REGION:
        card.organisation = scoping.reach_of(membership.organisation)
        card.save(update_fields=["organisation", "updated_at"])
    record(action=AuditAction.CREATE, target=specialist)
    return specialist


@transaction.atomic
def save_measure(*, membership: Membership, card: ImplementationCard,
                 measure: PlannedMeasure | None = None, **fields) -> PlannedMeasure:
    _require_editor(membership, card)
    if measure is None:
        measure = PlannedMeasure(card=card, position=card.measures.count())
        action = AuditAction.CREATE
    else:
        action = AuditAction.UPDATE
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.full_clean()
    measure.save()
    record(action=action, target=measure)
    return measure


@transaction.atomic
def set_stage(*, membership: Membership, card: ImplementationCard, stage: Stage | None,
              notes: str) -> ImplementationCard:
    _require_editor(membership, card)
    card.stage = stage
    card.notes = notes
    card.save(update_fields=["stage", "notes", "updated_at"])
    record(action=AuditAction.UPDATE, target=card, details={"fields": ["stage", "notes"]})
    return card
