"""Hashing of audit entries: one canonical form, used when writing and when verifying."""

import hashlib
import json

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "created_at", "actor_id", "actor_email", "membership_id", "organisation_id", "role",
    "action", "target_type", "target_id", "summary", "details", "ip_address", "prev_hash",
)


def entry_hash(values: dict) -> str:
    canonical = {}
    for field in HASHED_FIELDS:
        value = values.get(field)
        if field == "created_at" and value is not None:
            value = value.isoformat(timespec="microseconds")
        canonical[field] = value
    payload = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                         default=str)
    return hashlib.sha256(payload.encode()).hexdigest()
