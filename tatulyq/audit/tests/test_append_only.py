"""Entries are never changed or removed through the application, nor in the admin."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory

from tatulyq.accounts.models import User
from tatulyq.audit.models import AuditAction, AuditEntry
from tatulyq.audit.services import record


@pytest.fixture
def entry(world):
    return record(action=AuditAction.UPDATE, summary="original")


def test_queryset_update_is_refused(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="changed")
    assert AuditEntry.objects.get(pk=entry.pk).summary == "original"


def test_queryset_delete_is_refused(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_saving_an_existing_entry_is_refused(entry):
    entry.summary = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).summary == "original"


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_update_is_refused(entry):
    entry.summary = "changed"
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["summary"])
    assert AuditEntry.objects.get(pk=entry.pk).summary == "original"


def test_admin_has_no_add_change_or_delete_permission(entry, world):
    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = world.users.admin  # a superuser: still no write permission
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_change_permission(request, entry) is False
    assert model_admin.has_delete_permission(request) is False
    assert model_admin.has_delete_permission(request, entry) is False


def test_admin_shows_entries_read_only(client, entry, world, login_as):
    login_as(world.users.admin)
    base = "/kk/admin/audit/auditentry/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.get(f"{base}{entry.pk}/delete/").status_code == 403
    response = client.post(f"{base}{entry.pk}/change/", {"summary": "changed"})
    assert response.status_code == 403
    response = client.post(
        base, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert AuditEntry.objects.get(pk=entry.pk).summary == "original"


def test_removing_a_user_leaves_their_entries_and_the_chain_untouched(world):
    # The trail keeps the e-mail for this very case; removing the person must
    # neither rewrite their entries (breaking the chain) nor be blocked by them.
    user = User.objects.create_user("leaver@tatulyq.example", "x", full_name="Leaver")
    entry = record(action=AuditAction.LOGIN, user=user)
    user.delete()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor_email == "leaver@tatulyq.example"
    assert stored.actor_id == entry.actor_id
    call_command("audit_verify")
