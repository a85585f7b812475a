"""The shared test world: the demo organisations and users, built once per database.

Tests read it through the `world` fixture (organisations and users by name) and log
people in with `login_as`, which also passes the second factor where it is due.
"""

from types import SimpleNamespace

import pytest


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is deliberately slow; tests hash with a fast algorithm.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages render without collectstatic: static files come from the app folders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _build_world():
    from importlib import import_module

    from django.apps import apps

    from tatulyq.accounts import demo as accounts_demo
    from tatulyq.cases import demo as cases_demo
    from tatulyq.directives import demo as directives_demo
    from tatulyq.grants import demo as grants_demo
    from tatulyq.monitoring import demo as monitoring_demo
    from tatulyq.orgs import demo as orgs_demo
    from tatulyq.orgs.models import Territory

    if not Territory.objects.exists():  # a flush also removed what migration 0002 loaded
        import_module("tatulyq.orgs.migrations.0002_load_territories").load(apps, None)
        import_module("tatulyq.directives.migrations.0002_load_programme").load(apps, None)
    orgs = orgs_demo.build()
    accounts_demo.build(orgs)
    directives_demo.build(orgs)
    grants_demo.build(orgs)
    cases_demo.build(orgs)
    monitoring_demo.build(orgs)
    return orgs


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _build_world()


@pytest.fixture
def world(db):
    """Demo organisations and users, e.g. world.school, world.users.mediator."""
    from tatulyq.accounts.models import User
    from tatulyq.orgs.models import Organisation

    if not Organisation.objects.exists():  # a transactional test flushed the database
        _build_world()
    from tatulyq.orgs import demo as orgs_demo

    orgs = orgs_demo.build()  # finds the existing rows; creates nothing
    users = {
        user.email.split("@")[0]: user
        for user in User.objects.filter(email__endswith="@tatulyq.example")
    }
    return SimpleNamespace(**orgs, users=SimpleNamespace(**users))


@pytest.fixture
def login_as(client):
    """Log a demo user in, second factor included, acting through `membership` if given."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tatulyq.accounts.selectors import SESSION_KEY, needs_two_factor

    def login(user, membership=None):
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None and needs_two_factor(user):
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        if device is not None:
            from django_otp import DEVICE_ID_SESSION_KEY

            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        if membership is not None:
            session[SESSION_KEY] = membership.pk
        session.save()
        return client

    return login


@pytest.fixture(autouse=True)
def _kazakh_by_default():
    """Every test starts in Kazakh, whatever language an earlier test left active."""
    from django.utils import translation

    translation.activate("kk")
    yield
    translation.activate("kk")
