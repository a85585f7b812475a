from django.db.models import QuerySet

from tatulyq.access import scoping
from tatulyq.accounts.models import Role

from .models import AuditEntry


def can_read_audit(membership) -> bool:
    return membership is not None and membership.role in {
        Role.AUDITOR, Role.SYSTEM_ADMINISTRATOR,
    }


def visible_entries(membership) -> QuerySet[AuditEntry]:
    """Auditors read the entries made by members of the organisations in their reach."""
    if not can_read_audit(membership):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.order_by("-id")
    if membership.role == Role.SYSTEM_ADMINISTRATOR:
        return entries
    organisation_ids = scoping.visible_organisations(membership).values("id")
    return entries.filter(organisation_id__in=organisation_ids)
