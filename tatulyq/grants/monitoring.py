"""What monitoring reads from the grants: per region, as of a quarter's end, the money
planned in approved state social orders, contracted, paid and reported spent (cumulative
since the programme began), the NGOs holding an agreement during the quarter, and the
children the grantees' accepted reports say they reached in it. Grouped queries only."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from .models import GrantAgreement, GrantReport, ReportExpenditure, TopicBudget, Tranche

CHILD_FIELDS = ("girls_6_10", "boys_6_10", "girls_11_14", "boys_11_14", "girls_15_18", "boys_15_18")


def compute_for_monitoring(*, organisations, period) -> dict[int, dict[tuple[str, str], Decimal]]:
    by_region = {org.territory_id: org.pk for org in organisations}
    end, start = period.ends_on, period.starts_on
    values: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))

    def add(code: str, rows, key: str = "s") -> None:
        for row in rows:
            values[row["region"]][code] += Decimal(row[key] or 0)

    approved = Q(topic__order__status="approved", topic__order__approved_on__lte=end)
    add(
        "grants-planned",
        TopicBudget.objects.filter(approved, topic__order__region_id__in=by_region, year__lte=end.year)
        .values(region=F("topic__order__region_id"))
        .annotate(s=Sum("amount"))
        .order_by(),
    )
    agreements = GrantAgreement.objects.filter(topic__order__region_id__in=by_region, signed_on__lte=end)
    add(
        "grants-contracted",
        agreements.values(region=F("topic__order__region_id")).annotate(s=Sum("amount")).order_by(),
    )
    add(
        "grants-paid",
        Tranche.objects.filter(agreement__in=agreements, paid_on__lte=end)
        .values(region=F("agreement__topic__order__region_id"))
        .annotate(s=Sum("paid_amount"))
        .order_by(),
    )
    add(
        "grants-spent",
        ReportExpenditure.objects.filter(
            report__agreement__in=agreements,
            report__status=GrantReport.Status.ACCEPTED,
            report__period_to__lte=end,
        )
        .values(region=F("report__agreement__topic__order__region_id"))
        .annotate(s=Sum("spent"))
        .order_by(),
    )
    add(
        "grants-ngos",
        agreements.filter(starts_on__lte=end, ends_on__gte=start)
        .values(region=F("topic__order__region_id"))
        .annotate(s=Count("ngo", distinct=True))
        .order_by(),
    )
    reach = sum((F(field) for field in CHILD_FIELDS[1:]), F(CHILD_FIELDS[0]))
    add(
        "grants-reach",
        GrantReport.objects.filter(
            agreement__in=agreements,
            status=GrantReport.Status.ACCEPTED,
            period_to__gte=start,
            period_to__lte=end,
        )
        .values(region=F("agreement__topic__order__region_id"))
        .annotate(s=Sum(reach))
        .order_by(),
    )
    codes = (
        "grants-planned",
        "grants-contracted",
        "grants-paid",
        "grants-spent",
        "grants-ngos",
        "grants-reach",
    )
    return {
        org_id: {(code, ""): values[region][code] for code in codes} for region, org_id in by_region.items()
    }
