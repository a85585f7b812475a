"""Registry-derived indicators: the measures of the region's implementation card."""

from collections import Counter
from decimal import Decimal

from django.db.models import Q

from tatulyq.directives.models import MeasureStatus, PlannedMeasure


def compute(*, organisations: list, period) -> dict:
    by_region = {org.territory_id: org.pk for org in organisations}
    due = Q(due_date__isnull=True) | Q(due_date__lte=period.ends_on)
    planned, done = Counter(), Counter()
    rows = (
        PlannedMeasure.objects.filter(due, card__region_id__in=by_region)
        .exclude(status=MeasureStatus.CANCELLED)
        .values_list("card__region_id", "status")
    )
    for region_id, status in rows:
        planned[region_id] += 1
        done[region_id] += status == MeasureStatus.DONE
    return {
        org_id: {
            ("registry-measures-planned", ""): Decimal(planned[region]),
            ("registry-measures-done", ""): Decimal(done[region]),
        }
        for region, org_id in by_region.items()
    }
