"""Keeping the aggregates fresh.

Each change of a report's status adds or subtracts its values in the Aggregate rows of
its three nodes (Republic, region, district) inside the same transaction: a report
accepted at 10:00 is in the national figures when the acceptance commits. The quarter's
data version is bumped with it, and once it commits a background task computes the
quarter's small-cell suppression so that the next page finds it ready (a page that comes
first computes it itself). `rebuild` recomputes everything with GROUP BY queries (the
demo, the benchmarks, a check)."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.utils import timezone

from .models import RECEIVED, Aggregate, DataVersion, Period, Report, ReportStatus, ReportValue

NODE_FIELDS = ("national_node", "region_node", "district_node")


def bump_version(period_ids=None) -> int:
    """Count a change: globally (summaries name it) and per quarter (cached suppression)."""
    periods = Period.objects.all() if period_ids is None else Period.objects.filter(pk__in=period_ids)
    periods.update(data_version=F("data_version") + 1, data_changed_at=timezone.now())
    updated = DataVersion.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now())
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"number": 1, "changed_at": timezone.now()})
    return current_version()


def current_version() -> int:
    return DataVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0


def apply(report: Report, *, received: int, accepted: int) -> None:
    """Add (+1) or remove (-1) the report's values in the 'all' and 'approved' figures."""
    if not received and not accepted:
        return
    rows = list(report.values.exclude(value=None).values_list("code", "cell", "value"))
    nodes = [getattr(report, f"{field}_id") for field in NODE_FIELDS]
    nodes = [node for node in nodes if node]
    if rows and nodes:
        Aggregate.objects.bulk_create(
            [
                Aggregate(node_id=node, period_id=report.period_id, code=code, cell=cell)
                for node in nodes
                for code, cell, _value in rows
            ],
            ignore_conflicts=True,
        )
        for code, cell, value in rows:
            Aggregate.objects.filter(
                node_id__in=nodes, period_id=report.period_id, code=code, cell=cell
            ).update(
                value_all=F("value_all") + received * value,
                value_approved=F("value_approved") + accepted * value,
            )
    bump_version([report.period_id])
    version = Period.objects.filter(pk=report.period_id).values_list("data_version", flat=True).first()
    transaction.on_commit(lambda: _enqueue_warm(report.period_id, version))


def _enqueue_warm(period_id: int, version: int) -> None:
    from .tasks import warm_suppression

    warm_suppression.enqueue(period_id, version)


def rebuild(period_ids=None) -> int:
    """Recompute every Aggregate row from the reports; returns the number of rows."""
    values = ReportValue.objects.exclude(value=None)
    aggregates = Aggregate.objects.all()
    if period_ids is not None:
        values = values.filter(period_id__in=period_ids)
        aggregates = aggregates.filter(period_id__in=period_ids)
    aggregates.delete()
    money = DecimalField(max_digits=16, decimal_places=2)
    zero = Value(Decimal(0), output_field=money)
    created = 0
    for field in NODE_FIELDS:
        grouped = (
            values.filter(**{f"report__{field}__isnull": False})
            .values(f"report__{field}", "period_id", "code", "cell")
            .annotate(
                all=Sum(
                    Case(When(report__status__in=RECEIVED, then=F("value")), default=zero, output_field=money)
                ),
                approved=Sum(
                    Case(
                        When(report__status=ReportStatus.ACCEPTED, then=F("value")),
                        default=zero,
                        output_field=money,
                    )
                ),
            )
            .order_by()
        )
        batch = []
        for row in grouped.iterator(chunk_size=10000):
            batch.append(
                Aggregate(
                    node_id=row[f"report__{field}"],
                    period_id=row["period_id"],
                    code=row["code"],
                    cell=row["cell"],
                    value_all=row["all"],
                    value_approved=row["approved"],
                )
            )
            if len(batch) >= 10000:
                Aggregate.objects.bulk_create(batch)
                created += len(batch)
                batch = []
        Aggregate.objects.bulk_create(batch)
        created += len(batch)
    bump_version(period_ids)
    return created
