"""Grant-derived indicators come from the grants app (state social order, agreements,
tranches, grantee reports) once it is installed. Until then this source is absent:
`available()` is False and nothing is computed or invented.

What the grants app must provide, in `tatulyq/grants/monitoring.py`:

    def compute_for_monitoring(*, organisations, period) -> dict[int, dict[tuple[str, str], Decimal]]

for regional education departments (`organisations`, each with `.territory_id` the
region) and a `monitoring.Period` (`starts_on`, `ends_on`), the values, per region and
as of the period's end, of: "grants-planned", "grants-contracted", "grants-paid",
"grants-spent" (tenge, cumulative since the programme began), "grants-ngos" (NGOs with an
agreement in force during the period) and "grants-reach" (children reached, from accepted
grantee reports of the period); each keyed (code, "").
"""

from importlib import import_module

from django.apps import apps

PROVIDER = "tatulyq.grants.monitoring"


def available() -> bool:
    if not apps.is_installed("tatulyq.grants"):
        return False
    try:
        return hasattr(import_module(PROVIDER), "compute_for_monitoring")
    except ImportError:
        return False


def compute(*, organisations: list, period) -> dict:
    return import_module(PROVIDER).compute_for_monitoring(organisations=organisations, period=period)
