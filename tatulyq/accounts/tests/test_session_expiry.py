"""Sessions end after 30 idle minutes; every request renews them."""

import runpy
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

import tatulyq.settings


def settings_with_environment(monkeypatch, **environment):
    """The settings module as it reads a given environment (without touching the
    running settings)."""
    monkeypatch.delenv("SESSION_IDLE_MINUTES", raising=False)
    monkeypatch.delenv("TATULYQ_ENV", raising=False)
    monkeypatch.setenv("SECRET_KEY", "only-for-reading-the-settings-module")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(tatulyq.settings.__file__)


def test_idle_timeout_is_thirty_minutes_by_default(monkeypatch):
    values = settings_with_environment(monkeypatch)
    assert values["SESSION_COOKIE_AGE"] == 30 * 60
    assert values["SESSION_SAVE_EVERY_REQUEST"] is True


def test_idle_timeout_follows_session_idle_minutes(monkeypatch):
    values = settings_with_environment(monkeypatch, SESSION_IDLE_MINUTES="10")
    assert values["SESSION_COOKIE_AGE"] == 10 * 60


def test_session_cookie_is_http_only_and_ends_with_the_browser():
    assert tatulyq.settings.SESSION_COOKIE_HTTPONLY is True
    assert tatulyq.settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_every_request_renews_the_idle_timeout(client, world, login_as, settings):
    login_as(world.users.district)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get("/kk/").status_code == 200
    expires = Session.objects.get(session_key=key).expire_date
    remaining = expires - timezone.now()
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < remaining
    assert remaining <= timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_expired_session_sends_the_user_to_the_login_page(client, world, login_as):
    login_as(world.users.district)
    assert client.get("/kk/").status_code == 200
    session = client.session
    session.set_expiry(timezone.now() - timedelta(seconds=1))
    session.save()
    response = client.get("/kk/organisations/")
    assert response.status_code == 302
    assert response["Location"] == "/kk/accounts/login/?next=/kk/organisations/"
