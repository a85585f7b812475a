"""Eight quarters (2025 Q1 – 2026 Q4) of reports for the 20 project regions, Jambyl's
districts and the T. Ryskulov schools: the schools' figures are computed from the demo
cases by the cases source, the regions' entered figures are plausible inventions, the
registry's come from the implementation cards and the grant figures from the grants
demo (Jambyl's state social order). Most quarters are approved up to «Өркен»; some
reports came late, one region's 2026 Q3 report was returned, Jambyl's waits for
«Өркен», 2026 Q4 is being filled in.

Bulk inserts and one roll-up rebuild; idempotent (nothing happens when Jambyl's
education department already has a report)."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from tatulyq.accounts.models import Membership, Role
from tatulyq.orgs.models import Organisation, OrganisationKind

from . import chain, rollups, sources
from .catalogue import ensure_framework
from .models import Period, Report, ReportStatus, ReportValue, Source
from .services import current_version

RETURNED_REGION = "270000000"  # West Kazakhstan's 2026 Q3 report was returned
LATE_REGIONS = {"430000000", "470000000", "610000000"}
NARRATIVE = {
    "kk": "Тоқсан ішінде жоспарланған іс-шаралар негізінен орындалды. Мектептермен және ҮЕҰ-мен "
    "бірлескен жұмыс жалғасуда; ауылдық мектептерде мамандар жетіспейді.",
}


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build(orgs: dict) -> int:
    ensure_framework()
    if Report.objects.filter(organisation=orgs["jambyl_education"]).exists():
        return 0
    rng = random.Random(20251201)
    version = current_version()
    indicators = {i.code: i for i in version.indicators.all()}
    periods = list(Period.objects.order_by("year", "quarter"))
    orken = orgs["orken"]
    methodologist = Membership.objects.filter(organisation=orken, role=Role.METHODOLOGIST).first()
    regions = list(
        Organisation.objects.filter(kind=OrganisationKind.REGIONAL_EDUCATION).select_related(
            "territory", "parent"
        )
    )
    jambyl_districts = list(
        Organisation.objects.filter(
            kind=OrganisationKind.DISTRICT_EDUCATION, path__startswith=orgs["jambyl_akimat"].path
        )
    )
    schools = list(orgs["schools"])
    project_of_region = {}
    from tatulyq.directives.models import ImplementationCard

    for card in ImplementationCard.objects.select_related("project"):
        project_of_region[card.region_id] = card.project.number
    nodes = {org.pk: chain.nodes_of(org) for org in [*regions, *jambyl_districts, *schools]}
    senders = _senders()
    reports, values = [], []
    for index, period in enumerate(periods):
        last = index == len(periods) - 1
        registry = sources.compute("directives", organisations=regions, period=period)
        granted = sources.compute("grants", organisations=regions, period=period)
        computed = sources.compute("cases", organisations=schools, period=period)
        for school in schools:
            if last and school.pk % 3:
                continue  # 2026 Q4: some schools have opened their draft
            status = ReportStatus.DRAFT if last else ReportStatus.ACCEPTED
            late = not last and rng.random() < 0.12
            reports.append(
                _report(school, period, version, status, nodes, late=late, rng=rng, senders=senders)
            )
            values.append(
                [(code, cell, value) for (code, cell), value in computed.get(school.pk, {}).items()]
            )
        for district in jambyl_districts:
            if last:
                continue
            reports.append(
                _report(
                    district,
                    period,
                    version,
                    ReportStatus.ACCEPTED,
                    nodes,
                    late=rng.random() < 0.1,
                    rng=rng,
                    senders=senders,
                )
            )
            values.append([])
        for region in regions:
            code = region.territory.code
            if last and code != "310000000":
                continue
            status = ReportStatus.ACCEPTED
            if period.year == 2026 and period.quarter == 3:
                status = (
                    ReportStatus.RETURNED
                    if code == RETURNED_REGION
                    else ReportStatus.SUBMITTED
                    if code in ("310000000", "350000000")
                    else status
                )
            if last:
                status = ReportStatus.DRAFT
            report = _report(
                region, period, version, status, nodes, late=code in LATE_REGIONS, rng=rng, senders=senders
            )
            if status == ReportStatus.RETURNED:
                report.return_comment = (
                    "Балалар саны өткен тоқсаннан үш есе өскен: түсініктеме беріңіз "
                    "және деректерді тексеріңіз."
                )
                report.reviewed_by = methodologist
            if status != ReportStatus.DRAFT:
                report.narrative = NARRATIVE["kk"]
            reports.append(report)
            row = [(c, cell, v) for (c, cell), v in registry.get(region.pk, {}).items()]
            row += [(c, cell, v) for (c, cell), v in granted.get(region.pk, {}).items()]
            project = project_of_region.get(region.territory_id)
            ramp = 0.35 + 0.65 * index / max(1, len(periods) - 2)
            for indicator in indicators.values():
                if (
                    indicator.source != Source.ENTERED
                    or indicator.project is None
                    or indicator.project.number != project
                ):
                    continue
                per_quarter = float(indicator.target or 0) / 8
                value = max(0, round(per_quarter * ramp * rng.uniform(0.7, 1.3)))
                if last and rng.random() < 0.5:
                    continue  # still being filled in
                row.append((indicator.code, "", Decimal(value)))
            values.append(row)
    Report.objects.bulk_create(reports)
    saved = {
        (r.organisation_id, r.period_id): r
        for r in Report.objects.filter(
            period__in=periods, organisation__in=[r.organisation_id for r in reports]
        )
    }
    rows = []
    for report, items in zip(reports, values, strict=True):
        stored = saved[(report.organisation_id, report.period_id)]
        for code, cell, value in items:
            indicator = indicators[code]
            rows.append(
                ReportValue(
                    report=stored,
                    period_id=stored.period_id,
                    indicator=indicator,
                    code=code,
                    cell=cell,
                    value=value,
                    is_computed=indicator.source != Source.ENTERED,
                )
            )
    ReportValue.objects.bulk_create(rows, batch_size=2000)
    _count_filled(saved.values(), indicators)
    rollups.rebuild()
    return len(reports)


def _senders() -> dict:
    """{organisation id: a person who fills in its report}, where the demo has one."""
    from tatulyq.access import scoping
    from tatulyq.accounts.models import Membership

    found = {}
    for membership in Membership.objects.filter(is_active=True, user__is_active=True).select_related(
        "organisation", "user"
    ).order_by("pk"):
        unit = scoping.monitoring_unit(membership)
        if unit is not None and scoping.can_write(membership):
            found.setdefault(unit.pk, membership)
    return found


def _report(org, period, version, status, nodes, *, late: bool, rng, senders=None) -> Report:
    kind = org.kind
    deadline = {
        OrganisationKind.SCHOOL: period.school_deadline,
        OrganisationKind.DISTRICT_EDUCATION: period.district_deadline,
    }.get(kind, period.region_deadline)
    report = Report(organisation=org, period=period, version=version, status=status, **nodes[org.pk])
    if status != ReportStatus.DRAFT:
        day = (
            deadline + datetime.timedelta(days=rng.randint(2, 9))
            if late
            else deadline - datetime.timedelta(days=rng.randint(0, 4))
        )
        report.submitted_at = _at(day)
        report.submitted_by = (senders or {}).get(org.pk)
        if status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED):
            report.reviewed_at = _at(day + datetime.timedelta(days=2), 15)
    return report


def _count_filled(reports, indicators) -> None:
    from collections import Counter

    from .services import indicators_for, required_codes

    reports = list(reports)
    filled = Counter()
    for report_id, code in (
        ReportValue.objects.filter(report__in=reports, cell="")
        .exclude(value=None)
        .values_list("report_id", "code")
    ):
        filled[(report_id, code)] += 1
    for report in reports:
        required = required_codes(indicators_for(report))
        report.required_count = len(required)
        report.filled_count = sum(1 for code in required if filled[(report.pk, code)])
    Report.objects.bulk_update(reports, ["required_count", "filled_count"])
