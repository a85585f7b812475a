"""The platform around the apps: health check, production settings, formats, demo data."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import formats, translation

from tatulyq.accounts.models import Membership, User
from tatulyq.audit.models import AuditEntry
from tatulyq.orgs.models import Organisation

ROOT = Path(__file__).resolve().parents[3]


def test_healthz_reports_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_reports_pending_migrations(client, db, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["pending_migrations"] == 1


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        TATULYQ_ENV="prod",
        SECRET_KEY="x" * 20 + "-not-a-real-key-but-long-enough-for-the-check-" + "y" * 20,
        ALLOWED_HOSTS="tatulyq.example",
        EMAIL_URL="smtp+tls://mailer:secret@mail.tatulyq.example:587",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env={**env, "TATULYQ_ENV": "prod", "ALLOWED_HOSTS": "x", "EMAIL_URL": "smtp://h:25"},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_dates_show_as_day_month_year_in_every_language(language):
    with translation.override(language):
        assert formats.date_format(date(2026, 12, 1), "SHORT_DATE_FORMAT") == "01.12.2026"
        assert formats.date_format(date(2026, 12, 1)) == "01.12.2026"


def test_every_page_is_under_a_language_prefix(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/kk/")  # Kazakh first


def test_security_headers_are_sent(client, db):
    response = client.get(reverse("accounts:login"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_load_demo_twice_changes_nothing(world):
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count(),
              AuditEntry.objects.count())
    call_command("load_demo")
    assert counts == (Organisation.objects.count(), User.objects.count(),
                      Membership.objects.count(), AuditEntry.objects.count())


def test_load_demo_is_refused_in_production(db):
    with override_settings(IS_PROD=True), pytest.raises(CommandError):
        call_command("load_demo")


def test_demo_has_the_seed_chain_and_twenty_regions(world):
    from tatulyq.orgs.models import OrganisationKind

    assert Organisation.objects.filter(kind=OrganisationKind.REGIONAL_AKIMAT).count() == 20
    assert Organisation.objects.filter(kind=OrganisationKind.REGIONAL_EDUCATION).count() == 20
    assert world.jambyl_akimat.name_ru.endswith("«Аппарат акима Жамбылской области»")
    assert world.ryskulov_education.parent == world.ryskulov_akimat
    assert len(world.schools) == 20 and len(world.ngos) == 3
