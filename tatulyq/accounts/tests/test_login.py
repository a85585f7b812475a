"""The login page: e-mail and password, one message for every refusal."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import translation

from tatulyq.accounts.forms import LoginForm

LOGIN = "/kk/accounts/login/"


def log_in(client, email, password=None):
    return client.post(LOGIN, {"username": email, "password": password or settings.DEMO_PASSWORD})


def invalid_login_message():
    with translation.override("kk"):
        return str(LoginForm.error_messages["invalid_login"])


def test_login_page_is_public(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert response.templates[0].name == "accounts/login.html"


def test_login_with_email_and_password_opens_the_home_page(client, world):
    response = log_in(client, "district@tatulyq.example")
    assert response.status_code == 302
    assert response["Location"] == "/kk/"
    assert client.session[SESSION_KEY] == str(world.users.district.pk)
    assert client.get("/kk/").status_code == 200


def test_login_email_is_case_insensitive(client, world):
    response = log_in(client, "  District@TATULYQ.Example ")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.users.district.pk)


def test_wrong_password_shows_the_form_error(client, world):
    response = log_in(client, "district@tatulyq.example", "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [invalid_login_message()]
    assert invalid_login_message() in response.content.decode()
    assert SESSION_KEY not in client.session


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, world):
    wrong_password = log_in(client, "district@tatulyq.example", "not-the-password")
    unknown_email = log_in(client, "nobody@tatulyq.example", "not-the-password")
    assert unknown_email.status_code == wrong_password.status_code == 200
    # No user enumeration: the same error, and no other difference on the page.
    assert (
        unknown_email.context["form"].non_field_errors()
        == wrong_password.context["form"].non_field_errors()
        == [invalid_login_message()]
    )
    assert unknown_email.context["form"].errors == wrong_password.context["form"].errors
    assert SESSION_KEY not in client.session


def test_inactive_user_is_refused_even_with_the_right_password(client, world):
    user = world.users.district
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = log_in(client, user.email)
    assert response.status_code == 200
    # Refused with the same message as a wrong password: the page does not tell
    # a stranger which accounts exist and which are switched off.
    assert response.context["form"].non_field_errors() == [invalid_login_message()]
    assert SESSION_KEY not in client.session


def test_logged_in_user_opening_the_login_page_goes_home(client, world, login_as):
    login_as(world.users.district)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == "/kk/"


def test_login_follows_a_safe_next_and_ignores_a_foreign_one(client, world):
    response = client.post(
        LOGIN + "?next=/kk/organisations/",
        {"username": "district@tatulyq.example", "password": settings.DEMO_PASSWORD},
    )
    assert response["Location"] == "/kk/organisations/"
    client.logout()
    response = client.post(
        LOGIN + "?next=https://evil.example/",
        {"username": "district@tatulyq.example", "password": settings.DEMO_PASSWORD},
    )
    assert response["Location"] == "/kk/"
