"""audit.services.record: each entry holds the previous one's hash."""

from django.core.management import call_command

from tatulyq.accounts.models import Membership
from tatulyq.audit.chain import GENESIS_HASH, entry_hash
from tatulyq.audit.context import Actor, acting_as
from tatulyq.audit.models import AuditAction, AuditChainHead, AuditEntry
from tatulyq.audit.services import changed_fields, record
from tatulyq.audit.verification import verify_chain


def chain_head_hash():
    head = AuditChainHead.objects.filter(pk=1).first()
    return head.last_hash if head else GENESIS_HASH


def test_fifty_consecutive_records_form_one_chain(world):
    start = chain_head_hash()
    entries = [record(action=AuditAction.UPDATE, summary=f"change {n}") for n in range(50)]
    stored = list(AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("id"))
    assert len(stored) == 50
    assert stored[0].prev_hash == start
    for previous, current in zip(stored, stored[1:], strict=False):
        assert current.prev_hash == previous.entry_hash
    assert len({e.entry_hash for e in stored}) == 50
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_entry_id, head.last_hash) == (stored[-1].pk, stored[-1].entry_hash)
    assert verify_chain().intact


def test_entry_hash_covers_the_stored_content(world):
    entry = record(action=AuditAction.EXPORT, summary="report", details={"rows": 12, "a": [1]})
    stored = AuditEntry.objects.filter(pk=entry.pk).values().get()
    assert entry_hash(stored) == entry.entry_hash


def test_record_takes_user_membership_and_address_from_the_acting_context(world):
    membership = Membership.objects.get(user=world.users.district)
    with acting_as(Actor(user=world.users.district, membership=membership,
                         ip_address="192.0.2.7")):
        entry = record(action=AuditAction.CREATE, target=world.school)
    assert entry.actor_id == world.users.district.pk
    assert entry.actor_email == "district@tatulyq.example"
    assert entry.membership_id == membership.pk
    assert entry.organisation_id == membership.organisation_id
    assert entry.role == membership.role
    assert entry.ip_address == "192.0.2.7"
    assert entry.target_type == "orgs.organisation"
    assert entry.target_id == str(world.school.pk)


def test_record_without_a_request_has_no_actor(world):
    entry = record(action=AuditAction.IMPORT, summary="nightly")
    assert (entry.actor_id, entry.actor_email, entry.membership_id, entry.ip_address) == (
        None, "", None, None,
    )


def test_summary_is_cut_to_three_hundred_characters(world):
    entry = record(action=AuditAction.UPDATE, summary="x" * 500)
    assert len(AuditEntry.objects.get(pk=entry.pk).summary) == 300
    assert verify_chain().intact


def test_an_ipv6_address_in_long_form_still_verifies(world):
    # The database stores the address in its short form; the hash must be of
    # what is stored, or the intact chain would read as tampered.
    entry = record(action=AuditAction.LOGIN, ip_address="2001:0DB8:0000:0000:0000:0000:0000:0001")
    assert AuditEntry.objects.get(pk=entry.pk).ip_address == "2001:db8::1"
    call_command("audit_verify")


def test_changed_fields_names_fields_not_values():
    before = {"name": "A", "phone": "1", "email": "x"}
    after = {"name": "B", "phone": "1", "email": "y"}
    assert changed_fields(before, after) == ["email", "name"]
