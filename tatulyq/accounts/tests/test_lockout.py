"""Lockout after repeated failures (django-axes): per account and, separately, per address.

Axes keeps its attempts in the database, so each test's transaction resets them.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY

from tatulyq.audit.models import AuditAction, AuditEntry

LOGIN = "/kk/accounts/login/"


def log_in(client, email, password=None, address="127.0.0.1"):
    return client.post(
        LOGIN,
        {"username": email, "password": password or settings.DEMO_PASSWORD},
        REMOTE_ADDR=address,
    )


def fail(client, email, address):
    return log_in(client, email, "not-the-password", address)


def assert_locked_out(response):
    assert response.status_code == settings.AXES_HTTP_RESPONSE_CODE == 429
    assert settings.AXES_LOCKOUT_TEMPLATE in [t.name for t in response.templates]


def test_failure_limit_is_five():
    from tatulyq import settings as production

    assert production.AXES_FAILURE_LIMIT == 5
    assert production.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_lockout_after_five_failures_per_account(client, world):
    # Every attempt from another address: only the account can be what is counted.
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert fail(client, "district@tatulyq.example", f"10.0.0.{attempt + 1}").status_code == 200
    assert_locked_out(fail(client, "district@tatulyq.example", "10.0.0.50"))
    # The next attempt, with the right password and from a fresh address, is refused too.
    response = log_in(client, "district@tatulyq.example", address="10.0.0.99")
    assert_locked_out(response)
    assert SESSION_KEY not in client.session


def test_lockout_per_account_ignores_the_case_of_the_email(client, world):
    # Logging in ignores the case of the e-mail, so the failure count must too;
    # otherwise each spelling ("District@…", "DISTRICT@…") would get five more tries.
    spellings = ["district@tatulyq.example", "District@tatulyq.example",
                 "DISTRICT@tatulyq.example", "district@TATULYQ.example",
                 "DiStRiCt@tatulyq.example"]
    for attempt, spelling in enumerate(spellings[: settings.AXES_FAILURE_LIMIT]):
        fail(client, spelling, f"10.0.1.{attempt + 1}")
    response = log_in(client, "district@tatulyq.example", address="10.0.1.99")
    assert_locked_out(response)


def test_lockout_of_one_account_leaves_other_accounts_alone(client, world):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "district@tatulyq.example", f"10.0.2.{attempt + 1}")
    response = log_in(client, "methodologist@tatulyq.example", address="10.0.2.99")
    assert response.status_code == 302


def test_lockout_after_five_failures_per_address_across_accounts(client, world):
    address = "10.9.9.9"
    accounts = ["ministry", "methodologist", "region", "district", "ngo"]
    for name in accounts[: settings.AXES_FAILURE_LIMIT]:
        fail(client, f"{name}@tatulyq.example", address)
    # A sixth account, never tried before, with its right password: the address is locked.
    assert_locked_out(log_in(client, "auditor@tatulyq.example", address=address))
    assert SESSION_KEY not in client.session
    # The same account from another address logs in.
    assert log_in(client, "auditor@tatulyq.example", address="10.9.9.10").status_code == 302


def test_successful_login_clears_earlier_failures_of_the_account(client, world):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        fail(client, "district@tatulyq.example", f"10.0.3.{attempt + 1}")
    assert log_in(client, "district@tatulyq.example", address="10.0.3.50").status_code == 302
    client.logout()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = fail(client, "district@tatulyq.example", f"10.0.4.{attempt + 1}")
        assert response.status_code == 200


def test_lockout_is_audited(client, world):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "district@tatulyq.example", f"10.0.5.{attempt + 1}")
    entry = AuditEntry.objects.filter(action=AuditAction.LOCKED_OUT).first()
    assert entry is not None
    assert entry.details == {"username": "district@tatulyq.example"}
    assert entry.ip_address == f"10.0.5.{settings.AXES_FAILURE_LIMIT}"


def test_failures_on_different_accounts_from_different_addresses_lock_nothing(client, world):
    # Neither an account nor an address reached the limit: nobody is locked out.
    accounts = ["ministry", "methodologist", "region", "district", "ngo"]
    for attempt, name in enumerate(accounts):
        fail(client, f"{name}@tatulyq.example", f"10.0.6.{attempt + 1}")
    assert fail(client, "auditor@tatulyq.example", "10.0.6.99").status_code == 200
    assert log_in(client, "auditor@tatulyq.example", address="10.0.6.98").status_code == 302
