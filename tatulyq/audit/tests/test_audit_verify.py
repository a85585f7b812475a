"""`manage.py audit_verify`: proves the chain intact, names the first broken entry.

Tampering is simulated with raw SQL inside the test's transaction. On PostgreSQL
the append-only trigger must refuse it first; the test then disables the trigger
(as a DBA could) before tampering.
"""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tatulyq.audit.models import AuditAction, AuditEntry
from tatulyq.audit.services import record


@pytest.fixture
def entries(world):
    return [record(action=AuditAction.UPDATE, summary=f"change {n}") for n in range(5)]


def tamper(sql, params):
    """Run a raw UPDATE/DELETE on the trail as someone with database access would."""
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.rowcount == 1


def verify():
    with pytest.raises(CommandError) as error:
        call_command("audit_verify")
    return str(error.value)


def test_audit_verify_succeeds_on_an_intact_chain(entries, capsys):
    call_command("audit_verify")
    output = capsys.readouterr().out
    assert output.startswith("Audit trail intact:")
    assert f"{AuditEntry.objects.count()} entries verified" in output


def test_audit_verify_fails_after_a_summary_is_altered(entries):
    altered = entries[2]
    tamper("UPDATE audit_auditentry SET summary = %s WHERE id = %s", ["nothing", altered.pk])
    message = verify()
    assert f"entry {altered.pk}:" in message
    assert "altered" in message


def test_audit_verify_fails_after_details_are_altered_and_rehashed_without_the_chain(entries):
    # A forger who recomputes the altered row's own hash still breaks the next link.
    from tatulyq.audit.chain import HASHED_FIELDS, entry_hash

    altered, following = entries[1], entries[2]
    values = AuditEntry.objects.filter(pk=altered.pk).values(*HASHED_FIELDS).get()
    values["summary"] = "nothing"
    tamper(
        "UPDATE audit_auditentry SET summary = %s, entry_hash = %s WHERE id = %s",
        ["nothing", entry_hash(values), altered.pk],
    )
    assert f"entry {following.pk}:" in verify()


def test_audit_verify_fails_after_a_middle_row_is_deleted(entries):
    removed, following = entries[2], entries[3]
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [removed.pk])
    message = verify()
    assert f"entry {following.pk}:" in message
    assert "removed" in message


def test_audit_verify_fails_after_the_newest_row_is_deleted(entries):
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
    message = verify()
    assert "chain head" in message
    assert "newest entries were removed" in message


def test_postgresql_trigger_refuses_update_and_delete(world):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    entry = record(action=AuditAction.UPDATE, summary="kept")
    for sql in ["UPDATE audit_auditentry SET summary = 'x' WHERE id = %s",
                "DELETE FROM audit_auditentry WHERE id = %s"]:
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).summary == "kept"
