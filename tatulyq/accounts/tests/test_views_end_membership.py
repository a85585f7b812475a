from django.urls import reverse

from tatulyq.accounts.models import Membership
from tatulyq.audit.models import AuditEntry


def test_administrator_takes_a_role_away_in_their_subtree(world, login_as, client):
    mediator = Membership.objects.get(user=world.users.mediator)
    login_as(world.users.district)
    response = client.post(reverse("accounts:end_membership", args=[mediator.pk]))
    assert response.status_code == 302
    mediator.refresh_from_db()
    assert not mediator.is_active
    assert AuditEntry.objects.filter(
        action="update", target_type="accounts.membership", target_id=str(mediator.pk)
    ).exists()


def test_role_outside_the_subtree_is_not_found(world, login_as, client):
    ministry = Membership.objects.get(user=world.users.ministry)
    login_as(world.users.district)
    response = client.post(reverse("accounts:end_membership", args=[ministry.pk]))
    assert response.status_code == 404
    ministry.refresh_from_db()
    assert ministry.is_active


def test_member_who_is_not_an_administrator_cannot_take_roles_away(world, login_as, client):
    psychologist = Membership.objects.get(user=world.users.psychologist)
    login_as(world.users.mediator)
    client.post(reverse("accounts:end_membership", args=[psychologist.pk]))
    psychologist.refresh_from_db()
    assert psychologist.is_active


def test_nobody_takes_away_their_own_role(world, login_as, client):
    own = Membership.objects.get(user=world.users.district)
    login_as(world.users.district)
    client.post(reverse("accounts:end_membership", args=[own.pk]))
    own.refresh_from_db()
    assert own.is_active


def test_ended_role_no_longer_gives_access(world, login_as, client):
    mediator = Membership.objects.get(user=world.users.mediator2)
    mediator.is_active = False
    mediator.save()
    login_as(world.users.mediator2)
    response = client.get(reverse("orgs:browser"))
    assert response.status_code == 403  # no active role: the "no role yet" page
