"""The audit trail page (/kk/audit/): auditors and the system administrator read it."""

import pytest

from tatulyq.accounts.models import Membership, Role, User
from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.orgs.models import Organisation, OrganisationKind

TRAIL = "/kk/audit/"


def membership_of(world, name):
    return Membership.objects.get(user=getattr(world.users, name))


def entry_by(membership, summary):
    return record(
        action=AuditAction.EXPORT, summary=summary, user=membership.user, membership=membership
    )


def shown(client, **params):
    response = client.get(TRAIL, {"action": AuditAction.EXPORT, **params})
    assert response.status_code == 200
    return {entry.summary for entry in response.context["page"].object_list}


@pytest.mark.parametrize("name", ["auditor", "admin"])
def test_trail_is_visible_to_the_auditor_and_the_system_administrator(
    client, world, login_as, name
):
    login_as(getattr(world.users, name))
    response = client.get(TRAIL)
    assert response.status_code == 200
    assert response.templates[0].name == "audit/trail.html"


@pytest.mark.parametrize("name", ["district", "ministry", "mediator"])
def test_trail_is_forbidden_to_everyone_else(client, world, login_as, name):
    login_as(getattr(world.users, name))
    assert client.get(TRAIL).status_code == 403


def test_ministry_auditor_sees_entries_of_every_organisation_in_reach(client, world, login_as):
    entry_by(membership_of(world, "mediator"), "school export")
    entry_by(membership_of(world, "district"), "district export")
    login_as(world.users.auditor)
    assert {"school export", "district export"} <= shown(client)


def test_auditor_sees_only_entries_of_organisations_in_their_reach(client, world, login_as):
    # An auditor at the district education department reaches the district's subtree.
    user = User.objects.create_user("district.auditor@tatulyq.example", "x",
                                    full_name="District auditor")
    Membership.objects.create(user=user, organisation=world.ryskulov_education,
                              role=Role.AUDITOR)
    other_region_akimat = Organisation.objects.filter(
        kind=OrganisationKind.REGIONAL_AKIMAT
    ).exclude(pk=world.jambyl_akimat.pk).first()
    outsider = Membership.objects.create(
        user=User.objects.create_user("outsider@tatulyq.example", "x", full_name="Outsider"),
        organisation=other_region_akimat, role=Role.REGIONAL_COORDINATOR,
    )
    entry_by(membership_of(world, "mediator"), "school export")
    entry_by(membership_of(world, "district"), "district export")
    entry_by(outsider, "other region export")
    entry_by(membership_of(world, "ministry"), "ministry export")
    login_as(user)
    assert shown(client) == {"school export", "district export"}


def test_system_administrator_sees_every_entry(client, world, login_as):
    entry_by(membership_of(world, "mediator"), "school export")
    record(action=AuditAction.EXPORT, summary="no organisation")
    login_as(world.users.admin)
    assert {"school export", "no organisation"} <= shown(client)


def test_trail_filters_by_action(client, world, login_as):
    entry_by(membership_of(world, "district"), "exported")
    record(action=AuditAction.IMPORT, summary="imported",
           membership=membership_of(world, "district"))
    login_as(world.users.auditor)
    response = client.get(TRAIL, {"action": AuditAction.IMPORT})
    summaries = {entry.summary for entry in response.context["page"].object_list}
    assert "imported" in summaries
    assert "exported" not in summaries


def test_trail_shows_who_did_what_from_where(client, world, login_as):
    membership = membership_of(world, "district")
    record(action=AuditAction.EXPORT, user=membership.user, membership=membership,
           ip_address="198.51.100.9")
    login_as(world.users.auditor)
    html = client.get(TRAIL, {"action": AuditAction.EXPORT}).content.decode()
    assert "district@tatulyq.example" in html
    assert "198.51.100.9" in html
