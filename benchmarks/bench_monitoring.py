"""Monitoring at national size (PostgreSQL only): on the national tree of national.py
(20 regions, 220 districts, 7,700 schools), 1,000,000 mediation cases and 8 quarters of
reports, then:

- monitoring_dashboard_national: «Өркен»'s national dashboard for 2026 Q3 (20 regions,
  map, trend, completeness, the 10 project pairs, all indicators). Target p95 ≤ 500 ms.
- monitoring_dashboard_region: the drill-down into one region (its 11 districts).
  Target p95 ≤ 500 ms.
- monitoring_dashboard_district: one district (35 schools), for reference.
- monitoring_accept_school_report: a district accepts a school's report (service call,
  rolled back), which updates the national aggregates in the same transaction.
- monitoring_summary: the stage-3 summary (DOCX, PDF, XLSX) generated from cold
  suppression caches. Target ≤ 60 s.

What is generated, honestly: 1,000,000 minimal Case rows (one anonymous child each, a
screening for 4 in 5, a joint session for 1 in 2, an agreement for 9 in 20) are inserted
with INSERT … SELECT generate_series; the schools' quarterly values are then computed
from them by the real cases source (the same grouped queries as a report's prefill) and
written with COPY; regions' entered values are random; the aggregates are built with
the real `rollups.rebuild()`. Timings of each step go to stderr and into the JSON lines.
Idempotent: nothing is regenerated when the bench cases are there.
"""

from __future__ import annotations

import datetime
import random
import time

from benchmarks import national
from benchmarks._lib import client_for, log, measure_get, summarise

PAGE_TARGET_MS = 500.0
SUMMARY_TARGET_MS = 60_000.0
CASES = 1_000_000
PREFIX = "BENCH-"


def _membership(orgs):
    from tatulyq.accounts.models import Membership

    return Membership.objects.get(user__email="methodologist@tatulyq.example", organisation=orgs["orken"])


def _generate_cases(orgs) -> float:
    from django.db import connection, transaction

    from tatulyq.cases.models import Case

    if Case.objects.filter(number__startswith=PREFIX).exists():
        return 0.0
    started = time.perf_counter()
    author = _membership(orgs).pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM cases_child")
        (children_before,) = cursor.fetchone()
        cursor.execute(
            f"""
            INSERT INTO cases_case (school_id, number, status, referred_by, referred_on, place, harm_kinds,
                description, outcome, closure_reason, closed_on, supervisor_comment, created_by_id,
                created_at)
            SELECT s.ids[1 + (g %% s.n)], '{PREFIX}' || g,
                   CASE WHEN g %% 10 < 6 THEN 'closed' ELSE 'agreement' END, 'teacher',
                   DATE '2025-01-01' + ((g::bigint * 7919) %% 699)::int, 'classroom', '[]'::jsonb, '',
                   CASE WHEN g %% 10 < 5 THEN 'resolved' WHEN g %% 10 = 5 THEN 'broken' ELSE '' END, '',
                   CASE WHEN g %% 10 < 6
                        THEN DATE '2025-01-01' + ((g::bigint * 7919) %% 699)::int + 40 END,
                   '', %s, now()
            FROM generate_series(1, %s) AS g,
                 (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM orgs_organisation
                  WHERE kind = 'school') AS s
        """,
            [author, CASES],
        )
        cursor.execute(
            f"""
            INSERT INTO cases_child (school_id, full_name, sex, iin, birth_year, anonymised_at)
            SELECT school_id, '', CASE WHEN id %% 2 = 0 THEN 'f' ELSE 'm' END, '', 2008 + id %% 12, now()
            FROM cases_case WHERE number LIKE '{PREFIX}%%' ORDER BY id
        """,
            [],
        )
        cursor.execute(
            f"""
            INSERT INTO cases_participant (case_id, role, child_id, full_name, phone)
            SELECT c.id, 'caused', ch.id, '', ''
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM cases_case
                  WHERE number LIKE '{PREFIX}%%') AS c
            JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM cases_child WHERE id > %s) AS ch
              USING (rn)
        """,
            [children_before],
        )
        cursor.execute(
            f"""
            INSERT INTO cases_screening (case_id, sexual_violence, serious_crime, domestic_violence,
                acute_danger, power_imbalance, parties_willing, notes, screened_by_id, screened_at)
            SELECT id, false, false, false, false, id %% 10 = 9, true, '', %s,
                   (referred_on + 1)::timestamp AT TIME ZONE 'Asia/Almaty'
            FROM cases_case WHERE number LIKE '{PREFIX}%%' AND id %% 5 <> 0
        """,
            [author],
        )
        cursor.execute(
            f"""
            INSERT INTO cases_meeting (case_id, kind, held_on, outcome, recorded_by_id)
            SELECT id, 'joint', referred_on + (3 + id %% 25)::int, '', %s
            FROM cases_case WHERE number LIKE '{PREFIX}%%' AND id %% 2 = 0
        """,
            [author],
        )
        cursor.execute(
            f"""
            INSERT INTO cases_agreement (case_id, reached_on, notes)
            SELECT case_id, held_on, '' FROM cases_meeting m JOIN cases_case c ON c.id = m.case_id
            WHERE c.number LIKE '{PREFIX}%%' AND c.id %% 20 < 18 AND c.id %% 2 = 0
        """,
            [],
        )
        for table in (
            "cases_case",
            "cases_child",
            "cases_participant",
            "cases_screening",
            "cases_meeting",
            "cases_agreement",
        ):
            cursor.execute(f"ANALYZE {table}")
    seconds = time.perf_counter() - started
    log(f"bench: {CASES:,} cases with children, screenings, meetings, agreements in {seconds:.1f} s")
    return seconds


def _generate_reports(orgs) -> float:
    """Every school, district and region reports for the 8 quarters, from the cases."""
    from django.db import connection, transaction

    from tatulyq.monitoring import chain, rollups, sources
    from tatulyq.monitoring.models import Period, Report, ReportStatus, Source
    from tatulyq.monitoring.services import current_version
    from tatulyq.orgs.models import Organisation, OrganisationKind

    schools = list(Organisation.objects.filter(kind=OrganisationKind.SCHOOL))
    if Report.objects.filter(organisation__kind=OrganisationKind.SCHOOL).count() >= len(schools) * 8:
        return 0.0
    started = time.perf_counter()
    Report.objects.all().delete()
    rng = random.Random(7)
    version = current_version()
    indicators = {i.code: i for i in version.indicators.select_related("project")}
    districts = list(Organisation.objects.filter(kind=OrganisationKind.DISTRICT_EDUCATION))
    regions = list(
        Organisation.objects.filter(kind=OrganisationKind.REGIONAL_EDUCATION).select_related("territory")
    )
    from tatulyq.directives.models import ImplementationCard

    project_of = {c.region_id: c.project.number for c in ImplementationCard.objects.select_related("project")}
    nodes = {}
    for org in [*schools, *districts, *regions]:
        ids = [*org.ancestor_ids, org.pk]
        nodes[org.pk] = ids
    kinds = dict(
        Organisation.objects.filter(
            kind__in=[
                OrganisationKind.MINISTRY,
                OrganisationKind.REGIONAL_AKIMAT,
                OrganisationKind.DISTRICT_AKIMAT,
            ]
        ).values_list("pk", "kind")
    )

    def node_fields(org):
        found = {"national_node_id": None, "region_node_id": None, "district_node_id": None}
        for pk in nodes[org.pk]:
            field = {
                "ministry": "national_node_id",
                "regional_akimat": "region_node_id",
                "district_akimat": "district_node_id",
            }.get(kinds.get(pk))
            if field:
                found[field] = pk
        return found

    fields = {org.pk: node_fields(org) for org in [*schools, *districts, *regions]}
    assert chain  # the same node rules as chain.nodes_of, read without a query per organisation
    for period in Period.objects.order_by("year", "quarter"):
        step = time.perf_counter()
        computed = sources.compute("cases", organisations=schools, period=period)
        registry = sources.compute("directives", organisations=regions, period=period)
        last = period.year == 2026 and period.quarter == 4
        status = ReportStatus.SUBMITTED if last else ReportStatus.ACCEPTED
        submitted = datetime.datetime.combine(period.school_deadline, datetime.time(9), tzinfo=datetime.UTC)
        reports = [
            Report(
                organisation=org,
                period=period,
                version=version,
                status=status,
                submitted_at=submitted,
                **fields[org.pk],
            )
            for org in [*schools, *districts, *regions]
        ]
        with transaction.atomic():
            Report.objects.bulk_create(reports, batch_size=5000)
            ids = dict(Report.objects.filter(period=period).values_list("organisation_id", "pk"))
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(
                    "COPY monitoring_reportvalue (report_id, period_id, indicator_id, code, cell, value, "
                    "comment, is_computed) FROM STDIN"
                ) as copy,
            ):
                for school, cells in computed.items():
                    for (code, cell), value in cells.items():
                        copy.write_row(
                            (ids[school], period.pk, indicators[code].pk, code, cell, value, "", True)
                        )
                for region in regions:
                    for (code, cell), value in registry.get(region.pk, {}).items():
                        copy.write_row(
                            (ids[region.pk], period.pk, indicators[code].pk, code, cell, value, "", True)
                        )
                    for indicator in indicators.values():
                        if (
                            indicator.source == Source.ENTERED
                            and indicator.project
                            and indicator.project.number == project_of.get(region.territory_id)
                        ):
                            value = rng.randint(0, int(indicator.max_value or 100) // 2)
                            copy.write_row(
                                (
                                    ids[region.pk],
                                    period.pk,
                                    indicator.pk,
                                    indicator.code,
                                    "",
                                    value,
                                    "",
                                    False,
                                )
                            )
        log(f"bench: {period.label}: {len(reports)} reports in {time.perf_counter() - step:.1f} s")
    step = time.perf_counter()
    Report.objects.update(required_count=12, filled_count=11)
    rows = rollups.rebuild()
    with connection.cursor() as cursor:
        for table in ("monitoring_report", "monitoring_reportvalue", "monitoring_aggregate"):
            cursor.execute(f"ANALYZE {table}")
    log(f"bench: aggregates rebuilt ({rows:,} rows) in {time.perf_counter() - step:.1f} s")
    seconds = time.perf_counter() - started
    log(f"bench: 8 quarters of reports in {seconds:.1f} s")
    return seconds


def _client(orgs):
    return client_for(_membership(orgs))


def _measure(client, url, requests, warmup):
    """As measure_get, and the first (cold) request's time: it may compute the suppression."""
    cold_started = time.perf_counter()
    response = client.get(url)
    cold = (time.perf_counter() - cold_started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    times, queries = measure_get(client, url, requests=requests, warmup=warmup)
    return times, queries, round(cold, 1)


def _accept_runs(orgs, runs: int):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tatulyq.accounts.models import Membership, Role, User
    from tatulyq.monitoring import services
    from tatulyq.monitoring.models import Report, ReportStatus

    report = (
        Report.objects.filter(status=ReportStatus.SUBMITTED, organisation__kind="school")
        .select_related("organisation__parent")
        .first()
    )
    department = report.organisation.parent
    user, _ = User.objects.get_or_create(
        email=f"bench-mon-{department.pk}@tatulyq.example",
        defaults={"full_name": "Bench", "is_active": False},
    )
    reviewer, _ = Membership.objects.get_or_create(
        user=user, organisation=department, role=Role.DISTRICT_SPECIALIST, defaults={"is_admin": True}
    )
    times, queries = [], []

    class Rollback(Exception):
        pass

    for _ in range(runs):
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                services.accept_report(membership=reviewer, report=report)
                times.append((time.perf_counter() - started) * 1000)
                queries.append(len(captured.captured_queries))
                raise Rollback
        except Rollback:
            pass
    return times, queries


def _fresh_after_accept(orgs, client) -> dict:
    """A district accepts a school's 2026 Q4 report (committed), then «Өркен» opens the
    national dashboard for that quarter: how long until the figure is there."""
    from django.urls import reverse

    from tatulyq.accounts.models import Membership, Role, User
    from tatulyq.monitoring import services
    from tatulyq.monitoring.models import Aggregate, Report, ReportStatus
    from tatulyq.orgs.models import Organisation, OrganisationKind

    report = (
        Report.objects.filter(status=ReportStatus.SUBMITTED, organisation__kind="school", period__quarter=4)
        .select_related("organisation__parent", "period")
        .first()
    )
    department = report.organisation.parent
    user, _ = User.objects.get_or_create(
        email=f"bench-mon-{department.pk}@tatulyq.example",
        defaults={"full_name": "Bench", "is_active": False},
    )
    reviewer, _ = Membership.objects.get_or_create(
        user=user, organisation=department, role=Role.DISTRICT_SPECIALIST, defaults={"is_admin": True}
    )
    ministry = Organisation.objects.get(kind=OrganisationKind.MINISTRY)

    def national_referred():
        row = Aggregate.objects.filter(
            node=ministry, period=report.period, code="cases-referred", cell=""
        ).first()
        return row.value_approved if row else 0

    before = national_referred()
    own = report.values.filter(code="cases-referred", cell="").values_list("value", flat=True).first() or 0
    url = reverse("monitoring:node", args=[ministry.pk]) + f"?period={report.period_id}&basis=approved"
    started = time.perf_counter()
    services.accept_report(membership=reviewer, report=report)
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    problems = [] if national_referred() == before + own and response.status_code == 200 else ["not fresh"]
    return {
        **summarise("monitoring_fresh_after_accept", [elapsed], [0]),
        "problems": problems,
        "note": "acceptance committed, then the first national dashboard of that quarter (cold cache)",
    }


def run(args) -> list[dict]:
    from django.db import connection
    from django.urls import reverse

    if connection.vendor != "postgresql":
        log("bench: monitoring needs PostgreSQL (COPY, generate_series); skipped on " + connection.vendor)
        return []
    from tatulyq.monitoring import rollups, summary
    from tatulyq.monitoring.models import Period, SummaryExport
    from tatulyq.orgs.models import Organisation, OrganisationKind

    national.generate()
    orgs = national.demo_world()
    from tatulyq.monitoring.catalogue import ensure_framework

    ensure_framework()
    cases_s = _generate_cases(orgs)
    reports_s = _generate_reports(orgs)
    q3 = Period.objects.get(year=2026, quarter=3)
    client = _client(orgs)
    ministry = Organisation.objects.get(kind=OrganisationKind.MINISTRY)
    region = Organisation.objects.filter(kind=OrganisationKind.REGIONAL_AKIMAT).order_by("territory__code")[6]
    district = Organisation.objects.filter(kind=OrganisationKind.DISTRICT_AKIMAT, parent=region).first()
    results = []
    generated = {
        "cases": CASES,
        "schools": Organisation.objects.filter(kind=OrganisationKind.SCHOOL).count(),
        "generate_cases_s": round(cases_s, 1),
        "generate_reports_s": round(reports_s, 1),
    }
    for name, node in (
        ("monitoring_dashboard_national", ministry),
        ("monitoring_dashboard_region", region),
        ("monitoring_dashboard_district", district),
    ):
        url = reverse("monitoring:node", args=[node.pk]) + f"?period={q3.pk}&basis=approved"
        rollups.bump_version()  # cold caches: the first request computes the suppression
        times, queries, cold = _measure(client, url, args.requests, args.warmup)
        results.append(
            summarise(
                name,
                times,
                queries,
                target_ms=PAGE_TARGET_MS,
                cold_ms=cold,
                **(generated if name.endswith("national") else {}),
            )
        )
    times, queries = _accept_runs(orgs, max(5, args.requests // 5))
    results.append(summarise("monitoring_accept_school_report", times, queries))
    results.append(_fresh_after_accept(orgs, client))
    from tatulyq.monitoring import selectors

    rollups.bump_version([q3.pk])
    q3.refresh_from_db()
    started = time.perf_counter()
    warmed = selectors.warm_suppression(q3.pk, q3.data_version)
    results.append(
        {
            **summarise("monitoring_warm_quarter", [(time.perf_counter() - started) * 1000], [0]),
            "maps": warmed,
            "note": "the background task after a change: one quarter, both bases",
        }
    )
    rollups.bump_version()
    export = SummaryExport.objects.create(
        as_of=datetime.date(2026, 12, 1), language="kk", requested_by=_membership(orgs)
    )
    started = time.perf_counter()
    summary.generate(export.pk)
    total = (time.perf_counter() - started) * 1000
    export.refresh_from_db()
    problems = [] if export.status == SummaryExport.Status.DONE else [f"summary {export.status}"]
    results.append(
        {
            **summarise("monitoring_summary", [total], [0]),
            "target_ms": SUMMARY_TARGET_MS,
            "seconds": round(total / 1000, 1),
            "problems": problems,
        }
    )
    return results
