"""Inviting people (view and accounts.services.invite_user): administrators give
memberships in their own subtree; a new person gets a link to choose a password."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from tatulyq.accounts.models import Membership, Role, User
from tatulyq.accounts.services import invite_user
from tatulyq.audit.models import AuditAction, AuditEntry
from tatulyq.orgs.models import OrganisationKind


def invite_url(organisation):
    return f"/kk/accounts/organisations/{organisation.pk}/invite/"


def invitation(**fields):
    return {
        "email": "Aliya.Nurlanovna@Mektep.example",
        "full_name": "Әлия Нұрланқызы",
        "position": "Педагог-психолог",
        "role": Role.SCHOOL_PSYCHOLOGIST,
        **fields,
    }


def district_membership(world):
    return Membership.objects.get(user=world.users.district)


def counts():
    return User.objects.count(), Membership.objects.count(), len(mail.outbox)


@pytest.fixture
def as_district(client, world, login_as):
    login_as(world.users.district)
    return client


def test_invite_page_offers_only_roles_held_at_that_kind_of_organisation(as_district, world):
    response = as_district.get(invite_url(world.school))
    assert response.status_code == 200
    roles = {value for value, _ in response.context["form"].fields["role"].choices}
    assert Role.SCHOOL_MEDIATOR in roles
    assert Role.DISTRICT_SPECIALIST not in roles
    assert Role.SYSTEM_ADMINISTRATOR not in roles


def test_admin_invites_a_new_person_into_a_school_below(
    as_district, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_district.post(invite_url(world.school), invitation())
    assert response.status_code == 302
    assert response["Location"] == f"/kk/organisations/{world.school.pk}/people/"
    user = User.objects.get(email="aliya.nurlanovna@mektep.example")
    assert user.full_name == "Әлия Нұрланқызы"
    assert not user.has_usable_password()
    membership = Membership.objects.get(user=user)
    assert membership.organisation == world.school
    assert membership.role == Role.SCHOOL_PSYCHOLOGIST
    assert membership.is_admin is False
    assert membership.invited_by == district_membership(world)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aliya.nurlanovna@mektep.example"]


def test_invitation_link_lets_the_new_person_choose_a_password_and_log_in(
    as_district, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_district.post(invite_url(world.school), invitation())
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    newcomer = Client()
    response = newcomer.get(urlparse(link).path)
    assert response.status_code == 302  # Django hides the token behind a redirect
    response = newcomer.get(response["Location"])
    assert response.status_code == 200
    assert response.context["validlink"] is True
    response = newcomer.post(
        response.wsgi_request.path,
        {"new_password1": "Kulan-mektebi-2026", "new_password2": "Kulan-mektebi-2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/kk/accounts/password-reset/done/"
    response = newcomer.post(
        "/kk/accounts/login/",
        {"username": "aliya.nurlanovna@mektep.example", "password": "Kulan-mektebi-2026"},
    )
    assert response.status_code == 302
    assert newcomer.session["_auth_user_id"] == str(
        User.objects.get(email="aliya.nurlanovna@mektep.example").pk
    )
    # The link works once only.
    assert Client().get(urlparse(link).path, follow=True).context["validlink"] is False


def test_invitation_is_audited(as_district, world):
    as_district.post(invite_url(world.school), invitation())
    membership = Membership.objects.get(user__email="aliya.nurlanovna@mektep.example")
    entry = AuditEntry.objects.filter(action=AuditAction.INVITE).get()
    assert entry.actor_id == world.users.district.pk
    assert entry.membership_id == district_membership(world).pk
    assert entry.target_id == str(membership.pk)
    assert entry.details == {
        "user_id": membership.user_id, "organisation_id": world.school.pk,
        "role": Role.SCHOOL_PSYCHOLOGIST, "new_user": True,
    }


def another_district_department(world):
    return (
        world.jambyl_akimat.children.filter(kind=OrganisationKind.DISTRICT_AKIMAT)
        .exclude(pk=world.ryskulov_akimat.pk)
        .first()
        .children.get(kind=OrganisationKind.DISTRICT_EDUCATION)
    )


@pytest.mark.parametrize("where", ["another_district_department", "regional_department"])
def test_invite_outside_the_own_subtree_is_not_found_and_creates_nothing(
    as_district, world, where
):
    organisation = (
        another_district_department(world) if where == "another_district_department"
        else world.jambyl_education
    )
    before = counts()
    assert as_district.get(invite_url(organisation)).status_code == 404
    response = as_district.post(
        invite_url(organisation), invitation(role=Role.DISTRICT_SPECIALIST)
    )
    assert response.status_code == 404
    assert counts() == before


def test_invite_into_a_visible_organisation_above_is_forbidden_and_creates_nothing(
    as_district, world
):
    # The district akimat is within the department's reach (it sees it) but above it.
    before = counts()
    response = as_district.post(
        invite_url(world.ryskulov_akimat), invitation(role=Role.DISTRICT_SPECIALIST)
    )
    assert response.status_code == 403
    assert counts() == before


def test_role_not_allowed_at_that_kind_of_organisation_is_an_error_next_to_the_role(
    as_district, world
):
    before = counts()
    response = as_district.post(
        invite_url(world.ryskulov_education), invitation(role=Role.SCHOOL_MEDIATOR)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["role"]
    assert 'id="id_role_error"' in response.content.decode()
    assert counts() == before


def test_service_refuses_a_role_not_allowed_at_that_kind_of_organisation(world):
    with pytest.raises(ValidationError) as error:
        invite_user(
            inviter=district_membership(world), organisation=world.ryskulov_education,
            **invitation(role=Role.SCHOOL_MEDIATOR),
        )
    assert list(error.value.error_dict) == ["role"]
    assert not User.objects.filter(email="aliya.nurlanovna@mektep.example").exists()


def test_service_refuses_an_organisation_outside_the_inviters_subtree(world):
    with pytest.raises(ValidationError) as error:
        invite_user(
            inviter=district_membership(world), organisation=another_district_department(world),
            **invitation(role=Role.DISTRICT_SPECIALIST),
        )
    assert list(error.value.error_dict) == ["organisation"]
    assert not User.objects.filter(email="aliya.nurlanovna@mektep.example").exists()


@pytest.mark.parametrize("name", ["psychologist", "methodologist"])
def test_member_who_is_not_an_administrator_gets_403(client, world, login_as, name):
    user = getattr(world.users, name)
    organisation = Membership.objects.get(user=user).organisation
    login_as(user)
    before = counts()
    assert client.get(invite_url(organisation)).status_code == 403
    response = client.post(invite_url(organisation), invitation(role=Role.METHODOLOGIST))
    assert response.status_code == 403
    assert counts() == before


def test_inviting_an_existing_person_adds_only_a_membership(
    as_district, world, django_capture_on_commit_callbacks
):
    users_before = User.objects.count()
    existing = world.users.psychologist
    with django_capture_on_commit_callbacks(execute=True):
        response = as_district.post(
            invite_url(world.other_school),
            invitation(email="Psychologist@TATULYQ.example", full_name="Another name"),
        )
    assert response.status_code == 302
    assert User.objects.count() == users_before
    existing.refresh_from_db()
    assert existing.full_name != "Another name"  # the person's own data is left alone
    assert existing.has_usable_password()
    assert set(existing.memberships.values_list("organisation_id", flat=True)) == {
        world.school.pk, world.other_school.pk,
    }
    # They are told by e-mail, without a password link: they have a password already.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [existing.email]
    assert "password-reset" not in mail.outbox[0].body


def test_inviting_someone_into_a_role_they_already_hold_is_an_error_next_to_the_email(
    as_district, world
):
    before = counts()
    response = as_district.post(
        invite_url(world.school),
        invitation(email="mediator@tatulyq.example", role=Role.SCHOOL_MEDIATOR),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert counts() == before


def test_no_mail_leaves_when_the_invitation_is_not_committed(as_district, world):
    # The e-mail goes out on commit only: without a commit, nothing is sent.
    as_district.post(invite_url(world.school), invitation())
    assert mail.outbox == []
