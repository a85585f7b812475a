"""What the benchmarks share: choosing and preparing the database, and the statistics."""

from __future__ import annotations

import math
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/tatulyq_bench"
SQLITE_FALLBACK = ROOT / "var" / "bench.sqlite3"


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ database


def _postgres_params(url: str) -> dict:
    import environ

    config = environ.Env.db_url_config(url)
    return {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": config["NAME"],
    }


def _connect_maintenance(params: dict):
    import psycopg

    return psycopg.connect(
        **{**{k: v for k, v in params.items() if v}, "dbname": "postgres"},
        connect_timeout=3,
        autocommit=True,
    )


def _ensure_postgres_database(url: str) -> None:
    """CREATE DATABASE when the one in the URL does not exist yet."""
    from psycopg import sql

    params = _postgres_params(url)
    try:
        with _connect_maintenance(params) as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [params["dbname"]]
            ).fetchone()
            if not found:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["dbname"])))
                log(f"bench: created PostgreSQL database {params['dbname']}")
    except Exception as error:  # noqa: BLE001 - Django will say it clearly if it is missing
        log(f"bench: could not check that database {params['dbname']} exists ({error})")


def _postgres_reachable(url: str) -> bool:
    try:
        _connect_maintenance(_postgres_params(url)).close()
    except Exception as error:  # noqa: BLE001 - any failure means "use SQLite"
        log(f"bench: PostgreSQL at 127.0.0.1:5432 is not reachable ({error.__class__.__name__})")
        return False
    return True


def choose_database_url() -> str:
    """DATABASE_URL if set; else tatulyq_bench on the local PostgreSQL; else SQLite in var/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        if _postgres_reachable(DEFAULT_POSTGRES_URL):
            url = DEFAULT_POSTGRES_URL
        else:
            SQLITE_FALLBACK.parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{SQLITE_FALLBACK}"
            log(
                f"bench: falling back to a throwaway SQLite database, {SQLITE_FALLBACK} "
                "(PostgreSQL is the target: timings there are the ones that count)"
            )
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        _ensure_postgres_database(url)
    return url


def _refuse_developer_database(url: str) -> None:
    """The developer's own SQLite file is never a benchmark database."""
    if not url.startswith("sqlite:"):
        return
    import environ

    name = environ.Env.db_url_config(url)["NAME"]
    var_dir = Path(os.environ.get("TATULYQ_VAR_DIR", ROOT / "var"))
    developer = {(d / "tatulyq.sqlite3").resolve() for d in (ROOT / "var", var_dir)}
    if name and name != ":memory:" and Path(name).resolve() in developer:
        raise SystemExit(
            f"bench: refusing to use {name}, the developer's database; "
            "point DATABASE_URL elsewhere or leave it unset"
        )


_ready = False


def setup_django(migrate: bool = True) -> str:
    """Environment first, then Django, then the schema. Returns the database URL."""
    global _ready
    if _ready:
        return os.environ["DATABASE_URL"]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if os.environ.get("TATULYQ_ENV", "dev") == "prod":
        # The benchmarks load the demo users, whose password is public.
        raise SystemExit("bench: refusing to run with TATULYQ_ENV=prod")
    url = choose_database_url()
    _refuse_developer_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tatulyq.settings"
    os.environ["STATIC_MANIFEST"] = "0"  # {% static %} without collectstatic
    os.environ["DEBUG"] = "False"  # measure what production runs
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    if "testserver" not in hosts:  # django.test.Client's host
        hosts = (hosts or ["127.0.0.1", "localhost"]) + ["testserver"]
    os.environ["ALLOWED_HOSTS"] = ",".join(hosts)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    assert not settings.DEBUG
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    log(f"bench: database {connection.vendor} {connection.settings_dict['NAME']}")
    _ready = True
    return url


# ---------------------------------------------------------------- statistics


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with `fraction` of all at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarise(name: str, times_ms: list[float], queries: list[int], **extra) -> dict:
    return {
        "name": name,
        "n": len(times_ms),
        "p50_ms": round(statistics.median(times_ms), 2),
        "p95_ms": round(percentile(times_ms, 0.95), 2),
        "queries": max(queries),
        **extra,
    }


def client_for(membership, *, second_factor: bool = False):
    """Django's test client logged in as the membership; with `second_factor`, the TOTP
    step is passed as `login_as` does in the tests (child-data roles need it)."""
    from django.test import Client

    from tatulyq.accounts.selectors import SESSION_KEY

    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[SESSION_KEY] = membership.pk
    if second_factor:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(
            user=membership.user, name="bench", defaults={"confirmed": True}
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure_get(client, url: str, *, requests: int, warmup: int, data: dict | None = None):
    """Times and query counts of `requests` GETs after `warmup` untimed ones (each must answer 200)."""
    import gc
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url, data or {})
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
    gc.collect()
    times, queries = [], []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.get(url, data or {})
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return times, queries
