"""Password reset by e-mail: the same answer for every address, a working link."""

import re
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from tatulyq.accounts.models import User
from tatulyq.accounts.services import invite_user

RESET = "/kk/accounts/password-reset/"
SENT = "/kk/accounts/password-reset/sent/"


def ask_for_a_link(client, email):
    return client.post(RESET, {"email": email})


def link_in(message):
    return urlparse(re.search(r"https?://\S+", message.body).group(0)).path


def choose_password(client, link, password):
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_known_address_gets_a_reset_mail(client, world):
    response = ask_for_a_link(client, "district@tatulyq.example")
    assert response.status_code == 302
    assert response["Location"] == SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["district@tatulyq.example"]
    assert link_in(mail.outbox[0]).startswith("/kk/accounts/password-reset/")


def test_address_is_matched_whatever_its_case(client, world):
    ask_for_a_link(client, "DISTRICT@tatulyq.example")
    assert [m.to for m in mail.outbox] == [["district@tatulyq.example"]]


def test_unknown_address_gets_the_same_page_and_no_mail(client, world):
    known = ask_for_a_link(client, "district@tatulyq.example")
    mail.outbox.clear()
    unknown = ask_for_a_link(client, "nobody@tatulyq.example")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == SENT
    assert mail.outbox == []


def test_inactive_account_gets_no_mail(client, world):
    user = world.users.district
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert ask_for_a_link(client, user.email)["Location"] == SENT
    assert mail.outbox == []


def test_link_lets_the_user_set_a_new_password(client, world):
    ask_for_a_link(client, "district@tatulyq.example")
    response = choose_password(Client(), link_in(mail.outbox[0]), "Taraz-qalasy-2026")
    assert response.status_code == 302
    assert response["Location"] == "/kk/accounts/password-reset/done/"
    login = Client()
    old = login.post("/kk/accounts/login/", {"username": "district@tatulyq.example",
                                             "password": settings.DEMO_PASSWORD})
    assert old.status_code == 200  # the old password no longer works
    new = login.post("/kk/accounts/login/", {"username": "district@tatulyq.example",
                                             "password": "Taraz-qalasy-2026"})
    assert new.status_code == 302


def test_new_password_must_pass_the_validators(client, world):
    ask_for_a_link(client, "district@tatulyq.example")
    response = choose_password(Client(), link_in(mail.outbox[0]), "short1")
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    world.users.district.refresh_from_db()
    assert world.users.district.check_password(settings.DEMO_PASSWORD)


def test_a_used_link_no_longer_works(client, world):
    ask_for_a_link(client, "district@tatulyq.example")
    link = link_in(mail.outbox[0])
    choose_password(Client(), link, "Taraz-qalasy-2026")
    response = Client().get(link, follow=True)
    assert response.context["validlink"] is False


def test_a_tampered_link_is_refused(client, world):
    ask_for_a_link(client, "district@tatulyq.example")
    link = link_in(mail.outbox[0])
    tampered = link[:-3] + ("aaa/" if not link.endswith("aaa/") else "bbb/")
    response = Client().get(tampered, follow=True)
    assert response.context["validlink"] is False


@pytest.fixture
def invited_person(world):
    from tatulyq.accounts.models import Membership, Role

    inviter = Membership.objects.get(user=world.users.district)
    membership = invite_user(
        inviter=inviter, email="newcomer@mektep.example", full_name="Жаңа маман",
        organisation=world.school, role=Role.SOCIAL_PEDAGOGUE,
    )
    return membership.user


def test_invited_person_whose_link_expired_can_ask_for_a_new_one(client, invited_person):
    # The invitation link lasts three days; after that the page says "ask for a new
    # one", and the reset form must then send it although no password was chosen yet.
    assert not invited_person.has_usable_password()
    ask_for_a_link(client, "newcomer@mektep.example")
    assert [m.to for m in mail.outbox] == [["newcomer@mektep.example"]]
    response = choose_password(Client(), link_in(mail.outbox[0]), "Kulan-mektebi-2026")
    assert response.status_code == 302
    invited_person.refresh_from_db()
    assert invited_person.check_password("Kulan-mektebi-2026")
    assert User.objects.filter(email="newcomer@mektep.example").count() == 1
