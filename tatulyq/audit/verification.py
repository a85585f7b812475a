"""Walking the chain to prove nobody altered or removed an entry."""

from dataclasses import dataclass

from .chain import GENESIS_HASH, HASHED_FIELDS, entry_hash
from .models import AuditChainHead, AuditEntry


@dataclass
class ChainReport:
    checked: int
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_bad_id is None and not self.problem


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Recompute every hash in id order; stop at the first entry that does not fit."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    fields = [*HASHED_FIELDS, "id", "entry_hash"]
    while True:
        batch = list(
            AuditEntry.objects.filter(id__gt=last_id).order_by("id").values(*fields)[:batch_size]
        )
        if not batch:
            break
        for row in batch:
            if row["prev_hash"] != expected_prev:
                return ChainReport(checked, row["id"], "the entry before it was altered or removed")
            if entry_hash(row) != row["entry_hash"]:
                return ChainReport(checked, row["id"], "its content was altered")
            expected_prev = row["entry_hash"]
            last_id = row["id"]
            checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != expected_prev or head.last_entry_id != last_id):
        return ChainReport(checked, None, "the newest entries were removed")
    return ChainReport(checked)
