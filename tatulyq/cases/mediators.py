"""The school's mediation service: its mediators (adult staff and trained pupils) and
their training. The head and the service's coordinator keep the list."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership, Role
from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record

from .models import MediationService, Mediator, Training


def can_manage_service(membership: Membership | None, school) -> bool:
    """The school head and the service's coordinator keep the list of mediators."""
    if membership is None or membership.organisation_id != school.pk:
        return False
    return membership.role == Role.SCHOOL_HEAD or scoping.is_case_coordinator(membership)


@transaction.atomic
def add_mediator(
    *,
    author: Membership,
    kind: str,
    full_name: str = "",
    membership: Membership | None = None,
    grade: int | None = None,
) -> Mediator:
    school = author.organisation
    if not can_manage_service(author, school):
        raise ValidationError(_("Only the school head or the service's coordinator manages mediators."))
    service, _created = MediationService.objects.get_or_create(school=school)
    if kind == Mediator.Kind.PEER:
        if membership is not None:
            raise ValidationError({"membership": _("A peer mediator is a pupil and has no account.")})
        if not full_name.strip():
            raise ValidationError({"full_name": _("Give the pupil's name.")})
        if grade is None:
            raise ValidationError({"grade": _("Give the pupil's grade.")})
    elif membership is not None:
        if membership.organisation_id != school.pk:
            raise ValidationError({"membership": _("The staff member must work at the school.")})
        if service.mediators.filter(membership=membership).exists():
            raise ValidationError({"membership": _("This person is already a mediator of the service.")})
        full_name = full_name.strip() or membership.user.full_name
    if not full_name.strip():
        raise ValidationError({"full_name": _("Give the mediator's name.")})
    mediator = Mediator.objects.create(
        service=service,
        kind=kind,
        membership=membership,
        full_name=full_name.strip(),
        grade=grade if kind == Mediator.Kind.PEER else None,
    )
    record(action=AuditAction.CREATE, target=mediator)
    return mediator


@transaction.atomic
def add_training(
    *,
    author: Membership,
    mediator: Mediator,
    course: str,
    completed_on: datetime.date,
    provider: str = "",
    hours: int | None = None,
    certificate_number: str = "",
    expires_on: datetime.date | None = None,
) -> Training:
    if not can_manage_service(author, mediator.service.school):
        raise ValidationError(_("Only the school head or the service's coordinator manages mediators."))
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": _("The training cannot end in the future.")})
    if expires_on and expires_on < completed_on:
        raise ValidationError({"expires_on": _("A certificate cannot expire before the training ends.")})
    training = Training.objects.create(
        mediator=mediator,
        course=course.strip(),
        completed_on=completed_on,
        provider=provider.strip(),
        hours=hours,
        certificate_number=certificate_number.strip(),
        expires_on=expires_on,
    )
    record(action=AuditAction.CREATE, target=training)
    return training


@transaction.atomic
def set_mediator_active(*, author: Membership, mediator: Mediator, active: bool) -> Mediator:
    if not can_manage_service(author, mediator.service.school):
        raise ValidationError(_("Only the school head or the service's coordinator manages mediators."))
    mediator.is_active = active
    mediator.save(update_fields=["is_active"])
    record(action=AuditAction.UPDATE, target=mediator, details={"is_active": active})
    return mediator
