"""The second factor: child-data roles and system administrators confirm each login
with a TOTP code; the first time, they set up an authenticator."""

from base64 import b32encode

from django.conf import settings
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tatulyq.accounts.demo import DEMO_TOTP_KEY
from tatulyq.audit.models import AuditAction, AuditEntry

LOGIN = "/kk/accounts/login/"
TWO_FACTOR = "/kk/accounts/two-factor/"


def log_in(client, email):
    response = client.post(LOGIN, {"username": email, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302
    return response


def code_for(key: bytes) -> str:
    return f"{totp(key):06d}"


def wrong_code_for(key: bytes) -> str:
    """A code that no time step within the device's tolerance accepts."""
    accepted = {totp(key, drift=drift) for drift in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(100000, 1000000, 7919) if n not in accepted)


DEMO_KEY = bytes.fromhex(DEMO_TOTP_KEY)


def test_child_data_role_is_sent_to_two_factor_for_every_other_page(client, world):
    log_in(client, "mediator@tatulyq.example")
    for page in ["/kk/", "/kk/organisations/", "/kk/audit/",
                 f"/kk/organisations/{world.school.pk}/people/"]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].split("?")[0] == TWO_FACTOR, page


def test_two_factor_page_asks_for_the_code(client, world):
    log_in(client, "mediator@tatulyq.example")
    response = client.get(TWO_FACTOR)
    assert response.status_code == 200
    assert response.context["enrolling"] is False
    assert "qr_svg" not in response.context
    assert 'name="token"' in response.content.decode()


def test_wrong_code_shows_an_error_next_to_the_field(client, world):
    log_in(client, "mediator@tatulyq.example")
    response = client.post(TWO_FACTOR, {"token": wrong_code_for(DEMO_KEY)})
    assert response.status_code == 200
    assert "token" in response.context["form"].errors
    assert 'id="id_token_error"' in response.content.decode()
    # Still not verified.
    assert client.get("/kk/")["Location"] == TWO_FACTOR + "?next=%2Fkk%2F"


def test_wrong_code_is_audited(client, world):
    log_in(client, "mediator@tatulyq.example")
    client.post(TWO_FACTOR, {"token": wrong_code_for(DEMO_KEY)})
    entry = AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_FAILED).get()
    assert entry.actor_id == world.users.mediator.pk
    assert entry.membership_id == world.users.mediator.memberships.get().pk
    assert entry.ip_address == "127.0.0.1"


def test_code_that_is_not_six_digits_is_refused_by_the_form(client, world):
    log_in(client, "mediator@tatulyq.example")
    response = client.post(TWO_FACTOR, {"token": "12ab56"})
    assert "token" in response.context["form"].errors
    assert not AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_FAILED).exists()


def test_right_code_opens_the_home_page(client, world):
    log_in(client, "mediator@tatulyq.example")
    response = client.post(TWO_FACTOR, {"token": code_for(DEMO_KEY)})
    assert response.status_code == 302
    assert response["Location"] == "/kk/"
    assert client.get("/kk/").status_code == 200
    assert client.get("/kk/organisations/").status_code == 200
    # Once verified, the two-factor page itself sends the user home.
    assert client.get(TWO_FACTOR)["Location"] == "/kk/"


def test_a_code_is_accepted_only_once(client, world):
    log_in(client, "mediator@tatulyq.example")
    code = code_for(DEMO_KEY)
    assert client.post(TWO_FACTOR, {"token": code}).status_code == 302
    client.post("/kk/accounts/logout/")
    log_in(client, "mediator@tatulyq.example")
    response = client.post(TWO_FACTOR, {"token": code})
    assert response.status_code == 200
    assert "token" in response.context["form"].errors


def test_district_specialist_is_not_asked_for_a_code(client, world):
    log_in(client, "district@tatulyq.example")
    assert client.get("/kk/").status_code == 200
    assert client.get("/kk/organisations/").status_code == 200


def test_system_administrator_is_asked_for_a_code(client, world):
    log_in(client, "admin@tatulyq.example")
    assert client.get("/kk/")["Location"] == TWO_FACTOR + "?next=%2Fkk%2F"


def test_logging_out_needs_no_code(client, world):
    log_in(client, "mediator@tatulyq.example")
    response = client.post("/kk/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == LOGIN


def remove_authenticators(user):
    TOTPDevice.objects.filter(user=user).delete()


def test_user_without_an_authenticator_gets_the_enrolment_page(client, world):
    user = world.users.mediator
    remove_authenticators(user)
    log_in(client, user.email)
    assert client.get("/kk/")["Location"] == TWO_FACTOR + "?next=%2Fkk%2F"
    response = client.get(TWO_FACTOR)
    assert response.status_code == 200
    assert response.context["enrolling"] is True
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    assert response.context["secret"] == secret
    assert response.context["qr_svg"].startswith("data:image/svg+xml")
    html = response.content.decode()
    assert secret in html
    assert 'src="data:image/svg+xml' in html


def test_enrolment_page_keeps_the_same_secret_until_confirmed(client, world):
    user = world.users.mediator
    remove_authenticators(user)
    log_in(client, user.email)
    first = client.get(TWO_FACTOR).context["secret"]
    assert client.get(TWO_FACTOR).context["secret"] == first
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_enrolment_with_the_right_code_confirms_the_device(client, world):
    user = world.users.mediator
    remove_authenticators(user)
    log_in(client, user.email)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(TWO_FACTOR, {"token": code_for(device.bin_key)})
    assert response.status_code == 302
    assert response["Location"] == "/kk/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/kk/").status_code == 200


def test_enrolment_is_audited(client, world):
    user = world.users.mediator
    remove_authenticators(user)
    log_in(client, user.email)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(TWO_FACTOR, {"token": code_for(device.bin_key)})
    entry = AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_ENROLLED).get()
    assert entry.actor_id == user.pk
    assert entry.target_type == "otp_totp.totpdevice"
    assert entry.target_id == str(device.pk)


def test_enrolment_with_a_wrong_code_confirms_nothing_and_is_audited(client, world):
    user = world.users.mediator
    remove_authenticators(user)
    log_in(client, user.email)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(TWO_FACTOR, {"token": wrong_code_for(device.bin_key)})
    assert response.status_code == 200
    assert "token" in response.context["form"].errors
    device.refresh_from_db()
    assert not device.confirmed
    # The failure is on the trail and counts towards throttling, like any wrong code.
    assert AuditEntry.objects.filter(
        action=AuditAction.TWO_FACTOR_FAILED, actor_id=user.pk
    ).exists()
    assert device.throttling_failure_count == 1


def test_error_message_is_in_the_interface_language(client, world):
    log_in(client, "mediator@tatulyq.example")
    response = client.post(TWO_FACTOR, {"token": wrong_code_for(DEMO_KEY)})
    with translation.override("kk"):
        expected = translation.gettext("This code is not right. Try the newest one.")
    assert response.context["form"].errors["token"] == [expected]


def test_the_code_leads_on_to_the_page_the_person_asked_for(world, client):
    client.force_login(world.users.mediator)
    target = client.get("/kk/organisations/")["Location"]
    assert target == TWO_FACTOR + "?next=%2Fkk%2Forganisations%2F"
    response = client.post(target, {"token": code_for(DEMO_KEY)})
    assert response["Location"] == "/kk/organisations/"
