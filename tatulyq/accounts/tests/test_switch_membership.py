"""Switching the membership one acts through (the header's "Switch role")."""

from django.contrib.messages import constants
from django.utils import translation

from tatulyq.accounts.models import Membership
from tatulyq.accounts.selectors import SESSION_KEY
from tatulyq.audit.models import AuditAction, AuditEntry

SWITCH = "/kk/accounts/membership/"


def region_memberships(world):
    return (
        Membership.objects.get(user=world.users.region, organisation=world.jambyl_education),
        Membership.objects.get(user=world.users.region, organisation=world.jambyl_akimat),
    )


def active_membership(client):
    return client.get("/kk/").context["active_membership"]


def test_user_with_two_memberships_switches_and_the_header_shows_the_new_one(
    client, world, login_as
):
    login_as(world.users.region)
    before = active_membership(client)
    other = next(m for m in region_memberships(world) if m.pk != before.pk)
    response = client.post(SWITCH, {"membership": other.pk}, follow=True)
    assert response.redirect_chain == [("/kk/", 302)]
    assert response.context["active_membership"] == other
    html = response.content.decode()
    header = html[html.index('class="acting-as__role"'):]
    header = header[: header.index("</span>")]
    assert other.organisation.name in header
    assert [m.level for m in response.context["messages"]] == [constants.SUCCESS]
    # It stays chosen on the following pages.
    assert active_membership(client) == other


def test_switch_menu_lists_both_memberships(client, world, login_as):
    login_as(world.users.region)
    html = client.get("/kk/").content.decode()
    for membership in region_memberships(world):
        assert f'name="membership" value="{membership.pk}"' in html


def test_someone_elses_membership_is_refused_and_changes_nothing(client, world, login_as):
    login_as(world.users.region)
    before = active_membership(client)
    session_before = client.session.get(SESSION_KEY)
    foreign = Membership.objects.get(user=world.users.district)
    response = client.post(SWITCH, {"membership": foreign.pk}, follow=True)
    assert response.context["active_membership"] == before
    assert client.session.get(SESSION_KEY) == session_before
    messages = list(response.context["messages"])
    with translation.override("kk"):
        expected = translation.gettext("You do not hold this membership.")
    assert [(m.level, m.message) for m in messages] == [(constants.ERROR, expected)]
    assert not AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_SWITCHED).exists()


def test_an_inactive_membership_cannot_be_chosen(client, world, login_as):
    login_as(world.users.region)
    before = active_membership(client)
    other = next(m for m in region_memberships(world) if m.pk != before.pk)
    other.is_active = False
    other.save(update_fields=["is_active"])
    client.post(SWITCH, {"membership": other.pk})
    assert active_membership(client) == before


def test_switching_is_audited(client, world, login_as):
    login_as(world.users.region)
    before = active_membership(client)
    other = next(m for m in region_memberships(world) if m.pk != before.pk)
    client.post(SWITCH, {"membership": other.pk}, REMOTE_ADDR="10.20.30.40")
    entry = AuditEntry.objects.filter(action=AuditAction.MEMBERSHIP_SWITCHED).get()
    assert entry.actor_id == world.users.region.pk
    # The entry is made as the new membership.
    assert entry.membership_id == other.pk
    assert entry.organisation_id == other.organisation_id
    assert entry.target_type == "accounts.membership"
    assert entry.target_id == str(other.pk)
    assert entry.ip_address == "10.20.30.40"


def test_switching_needs_a_post(client, world, login_as):
    login_as(world.users.region)
    assert client.get(SWITCH).status_code == 405
