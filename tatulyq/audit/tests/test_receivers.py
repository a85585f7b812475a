"""Authentication events on the trail: login, failed login, logout."""

import json

from django.conf import settings
from django.forms.models import model_to_dict

from tatulyq.accounts.models import Membership
from tatulyq.audit.models import AuditAction, AuditEntry

LOGIN = "/kk/accounts/login/"


def log_in(client, email, password=None, address="10.1.2.3"):
    return client.post(
        LOGIN,
        {"username": email, "password": password or settings.DEMO_PASSWORD},
        REMOTE_ADDR=address,
    )


def only_entry(action):
    return AuditEntry.objects.filter(action=action).get()


def test_login_is_audited_with_actor_membership_and_address(client, world):
    log_in(client, "district@tatulyq.example")
    entry = only_entry(AuditAction.LOGIN)
    membership = Membership.objects.get(user=world.users.district)
    assert entry.actor_id == world.users.district.pk
    assert entry.actor_email == "district@tatulyq.example"
    assert entry.membership_id == membership.pk
    assert entry.organisation_id == membership.organisation_id
    assert entry.role == membership.role
    assert entry.ip_address == "10.1.2.3"


def test_login_of_a_child_data_role_is_audited_at_the_password_step(client, world):
    log_in(client, "mediator@tatulyq.example")
    entry = only_entry(AuditAction.LOGIN)
    assert entry.actor_id == world.users.mediator.pk
    assert entry.organisation_id == world.school.pk


def test_failed_login_records_the_attempted_email_and_never_the_password(client, world):
    log_in(client, "District@tatulyq.example", "Sekret-Attempt-991")
    entry = only_entry(AuditAction.LOGIN_FAILED)
    assert entry.details == {"username": "District@tatulyq.example"}
    assert entry.ip_address == "10.1.2.3"
    assert entry.actor_id is None
    assert entry.membership_id is None
    stored = json.dumps(model_to_dict(entry), default=str)
    assert "Sekret-Attempt-991" not in stored
    assert "*****" not in stored  # not even the masked placeholder


def test_failed_login_with_an_unknown_email_is_audited_too(client, world):
    log_in(client, "nobody@tatulyq.example", "whatever-it-is")
    entry = only_entry(AuditAction.LOGIN_FAILED)
    assert entry.details == {"username": "nobody@tatulyq.example"}
    assert entry.ip_address == "10.1.2.3"


def test_logout_is_audited_with_actor_membership_and_address(client, world):
    log_in(client, "district@tatulyq.example")
    client.post("/kk/accounts/logout/", REMOTE_ADDR="10.1.2.4")
    entry = only_entry(AuditAction.LOGOUT)
    membership = Membership.objects.get(user=world.users.district)
    assert entry.actor_id == world.users.district.pk
    assert entry.actor_email == "district@tatulyq.example"
    assert entry.membership_id == membership.pk
    assert entry.organisation_id == membership.organisation_id
    assert entry.ip_address == "10.1.2.4"


def test_login_with_two_memberships_is_audited_with_the_one_acted_through(
    client, world
):
    # A user with two memberships logs in as their first membership.
    log_in(client, "region@tatulyq.example")
    entry = only_entry(AuditAction.LOGIN)
    first = client.get("/kk/").context["active_membership"]
    assert entry.membership_id == first.pk
