"""Writing to the audit trail. Services call `record` inside their own transaction,
so that a change and its audit entry are committed together or not at all."""

from django.db import models, transaction
from django.utils import timezone

from .chain import GENESIS_HASH, entry_hash
from .context import current_actor
from .models import AuditAction, AuditChainHead, AuditEntry


def record(
    *,
    action: AuditAction | str,
    target: models.Model | None = None,
    summary: str = "",
    details: dict | None = None,
    user=None,
    membership=None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Append one entry; whoever is not given is taken from the current request."""
    actor = current_actor()
    user = user if user is not None else actor.user
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    membership = membership if membership is not None else actor.membership
    values = {
        "created_at": timezone.now(),
        "actor_id": user.pk if user else None,
        "actor_email": user.email if user else "",
        "membership_id": membership.pk if membership else None,
        "organisation_id": membership.organisation_id if membership else None,
        "role": membership.role if membership else "",
        "action": str(action),
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "summary": summary[:300],
        "details": details or {},
        # In the form the database stores (IPv6 shortened), so the hash stays verifiable.
        "ip_address": AuditEntry._meta.get_field("ip_address").get_prep_value(
            ip_address or actor.ip_address
        ) or None,
    }
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditChainHead.objects.create(pk=1, last_hash=GENESIS_HASH)
        values["prev_hash"] = head.last_hash
        values["entry_hash"] = entry_hash(values)
        entry = AuditEntry.objects.create(**values)
        AuditChainHead.objects.filter(pk=1).update(
            last_entry_id=entry.pk, last_hash=entry.entry_hash
        )
    return entry


def changed_fields(before: dict, after: dict) -> list[str]:
    """Names of the fields that differ: the trail records what changed, not the values."""
    return sorted(key for key in after if before.get(key) != after.get(key))
