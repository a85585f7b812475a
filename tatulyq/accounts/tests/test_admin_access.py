"""Django's admin: only a system administrator who passed the second factor."""

import pytest
from django.conf import settings

ADMIN = "/kk/admin/"


def test_system_administrator_after_two_factor_reaches_the_admin(client, world, login_as):
    login_as(world.users.admin)
    response = client.get(ADMIN)
    assert response.status_code == 200
    assert client.get(ADMIN + "accounts/user/").status_code == 200


def test_system_administrator_without_the_second_factor_is_sent_to_it(client, world):
    client.post("/kk/accounts/login/", {"username": "admin@tatulyq.example",
                                        "password": settings.DEMO_PASSWORD})
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == "/kk/accounts/two-factor/"


def test_system_administrator_without_the_second_factor_on_the_admin_login_page(client, world):
    client.force_login(world.users.admin)
    response = client.get(ADMIN + "login/")
    assert response.status_code == 302
    assert response["Location"].split("?")[0] == "/kk/accounts/two-factor/"


def test_anonymous_visitor_is_sent_to_the_site_login(client, db):
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/login.html"


@pytest.mark.parametrize("name", ["district", "ministry", "auditor", "mediator"])
def test_other_logged_in_users_are_refused(client, world, login_as, name):
    # Everyone else, whatever their role and even after the second factor, gets a
    # refusal, not a loop between the admin's and the site's login pages.
    login_as(getattr(world.users, name))
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403
    assert client.get(ADMIN + "accounts/user/", follow=True).status_code == 403


def test_system_administrator_on_the_admin_login_page_goes_to_the_admin(client, world, login_as):
    login_as(world.users.admin)
    response = client.get(ADMIN + "login/")
    assert response.status_code == 302
    assert response["Location"] == ADMIN
