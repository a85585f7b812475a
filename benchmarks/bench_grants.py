"""State social order and grants at national size.

- grants_national_budget_table: the Ministry's page summing 7,700 submitted school
  proposals (5 budget lines each, 38,500 lines) per project, region and year.
  Target p95 ≤ 1,000 ms; the query count must not grow with the proposals.
- grants_budget_execution_region: Jambyl's budget execution page (planned, contracted,
  paid, reported spent per project and year) with every region carrying an approved
  order of 10 topics, 100 agreements, 400 tranches, 200 reports and 1,000 expenditure
  lines (2,000 agreements nationally). Target p95 ≤ 300 ms.

The data is bulk-inserted once (found again by its titles) on top of the national tree.
"""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

from benchmarks import national
from benchmarks._lib import client_for, log, measure_get, summarise

TABLE_TARGET_MS = 1000.0
EXECUTION_TARGET_MS = 300.0
TITLE = "BENCH proposal"
ORDER_TITLE = "BENCH order"
LINES = [
    ("Тренинг", "адам", 12, 85000),
    ("Жабдық", "жиынтық", 1, 350000),
    ("Кездесу", "рет", 6, 15000),
    ("Материалдар", "дана", 120, 1200),
    ("Супервизия", "сағат", 10, 9000),
]
D = datetime.date


def _membership(orgs):
    from tatulyq.accounts.models import Membership

    return Membership.objects.get(user__email="ministry@tatulyq.example", organisation=orgs["ministry"])


def _project_of_region() -> dict:
    from tatulyq.directives.models import ImplementationCard

    return dict(ImplementationCard.objects.values_list("region_id", "project_id"))


def _proposals(orgs) -> int:
    """7,700 submitted school proposals with five lines a year-split each (bulk, once)."""
    from django.db import transaction

    from tatulyq.grants.models import Proposal, ProposalLine
    from tatulyq.orgs.models import Organisation, OrganisationKind, Territory

    existing = Proposal.objects.filter(title=TITLE).count()
    if existing:
        return existing
    started = time.perf_counter()
    author = _membership(orgs)
    regions = {t.code[:2]: t.pk for t in Territory.objects.filter(level=Territory.Level.REGION)}
    project_of = _project_of_region()
    schools = list(
        Organisation.objects.filter(kind=OrganisationKind.SCHOOL)
        .exclude(social_order_proposals__isnull=False)
        .select_related("territory")
        .order_by("pk")
    )
    with transaction.atomic():
        proposals = []
        for school in schools:
            region_id = regions[school.territory.code[:2]]
            proposals.append(
                Proposal(
                    organisation=school,
                    region_id=region_id,
                    project_id=project_of.get(region_id),
                    title=TITLE,
                    problem="Қақтығыстар",
                    target_groups="Оқушылар",
                    children_reached=60,
                    activities="Тренингтер",
                    expected_results="Азаяды",
                    implementer="ngo_grant",
                    status="submitted",
                    created_by=author,
                    other_project="" if project_of.get(region_id) else "—",
                )
            )
        Proposal.objects.bulk_create(proposals, batch_size=2000)
        proposals = list(Proposal.objects.filter(title=TITLE).only("pk"))
        lines, totals = [], {}
        for index, proposal in enumerate(proposals):
            for position, (item, unit, quantity, cost) in enumerate(LINES):
                total = Decimal(quantity * (cost + index % 7 * 100))
                lines.append(
                    ProposalLine(
                        proposal_id=proposal.pk,
                        year=2025 + position % 2,
                        item=item,
                        unit=unit,
                        quantity=Decimal(quantity),
                        unit_cost=Decimal(cost + index % 7 * 100),
                        total=total,
                        position=position,
                    )
                )
                totals[proposal.pk] = totals.get(proposal.pk, 0) + total
        ProposalLine.objects.bulk_create(lines, batch_size=5000)
        for proposal in proposals:
            proposal.total = totals[proposal.pk]
        Proposal.objects.bulk_update(proposals, ["total"], batch_size=2000)
    log(f"bench: {len(proposals)} proposals, {len(lines)} lines in {time.perf_counter() - started:.1f} s")
    return len(proposals)


def _orders(orgs) -> None:
    """Every region: an approved order, 10 topics, 100 agreements with tranches and reports."""
    from django.db import transaction

    from tatulyq.directives.models import Project
    from tatulyq.grants.models import (
        Application,
        Competition,
        GrantAgreement,
        GrantReport,
        ReportExpenditure,
        SocialOrder,
        Topic,
        TopicBudget,
        Tranche,
    )
    from tatulyq.orgs.models import Organisation, OrganisationKind

    if SocialOrder.objects.filter(title=ORDER_TITLE).exists():
        return
    started = time.perf_counter()
    author = _membership(orgs)
    projects = list(Project.objects.order_by("number"))
    with transaction.atomic():
        for akimat in Organisation.objects.filter(kind=OrganisationKind.REGIONAL_AKIMAT).select_related(
            "territory"
        ):
            ngos = list(
                Organisation.objects.filter(kind=OrganisationKind.NGO, path__startswith=akimat.path)[:100]
            )
            if len(ngos) < 10:
                continue
            order = SocialOrder.objects.create(
                organisation=akimat,
                region=akimat.territory,
                title=ORDER_TITLE,
                first_year=2025,
                last_year=2026,
                status="approved",
                approved_on=D(2024, 12, 20),
                created_by=author,
            )
            for number, project in enumerate(projects, 1):
                topic = Topic.objects.create(
                    order=order,
                    number=number,
                    project=project,
                    title=f"Topic {number}",
                    expected_results="R",
                    budget_total=Decimal("200000000"),
                )
                TopicBudget.objects.bulk_create(
                    [
                        TopicBudget(topic=topic, year=2025, amount=Decimal("100000000")),
                        TopicBudget(topic=topic, year=2026, amount=Decimal("100000000")),
                    ]
                )
                competition = Competition.objects.create(
                    topic=topic,
                    organiser=akimat,
                    title="C",
                    requirements="R",
                    opens_on=D(2025, 1, 10),
                    closes_on=D(2025, 2, 10),
                    budget=Decimal("200000000"),
                    status="published",
                    created_by=author,
                )
                applications = Application.objects.bulk_create(
                    [
                        Application(
                            competition=competition,
                            ngo=ngo,
                            bin=ngo.bin,
                            registered_on=D(2015, 1, 1),
                            director_name="D",
                            experience="E",
                            plan="P",
                            requested_amount=Decimal("10000000"),
                            submitted_by=author,
                        )
                        for ngo in ngos[number * 10 - 10 : number * 10]
                    ]
                )
                applications = list(Application.objects.filter(competition=competition))
                agreements = GrantAgreement.objects.bulk_create(
                    [
                        GrantAgreement(
                            application=a,
                            topic=topic,
                            ngo_id=a.ngo_id,
                            number=f"B-{a.pk}",
                            signed_on=D(2025, 3, 1),
                            starts_on=D(2025, 3, 1),
                            ends_on=D(2026, 11, 30),
                            amount=Decimal("10000000"),
                            created_by=author,
                        )
                        for a in applications
                    ]
                )
                agreements = list(GrantAgreement.objects.filter(topic=topic))
                Tranche.objects.bulk_create(
                    [
                        Tranche(
                            agreement=a,
                            number=n,
                            planned_on=D(2025 + n // 3, 3 * n, 15),
                            amount=Decimal("2500000"),
                            condition="C",
                            paid_on=D(2025 + n // 3, 3 * n, 20) if n <= 2 else None,
                            paid_amount=Decimal("2500000") if n <= 2 else None,
                        )
                        for a in agreements
                        for n in (1, 2, 3, 4)
                    ]
                )
                reports = GrantReport.objects.bulk_create(
                    [
                        GrantReport(
                            agreement=a,
                            kind="interim",
                            period_from=D(2025, 3, 1),
                            period_to=D(2025 + k, 8, 31),
                            activities="A",
                            status="accepted",
                            created_by=author,
                        )
                        for a in agreements
                        for k in (0, 1)
                    ]
                )
                reports = list(GrantReport.objects.filter(agreement__topic=topic))
                ReportExpenditure.objects.bulk_create(
                    [
                        ReportExpenditure(
                            report=r,
                            item=f"L{i}",
                            planned=Decimal("500000"),
                            spent=Decimal("480000"),
                            variance_explanation="cheaper",
                        )
                        for r in reports
                        for i in range(5)
                    ]
                )
    log(f"bench: orders, agreements, tranches and reports built in {time.perf_counter() - started:.1f} s")


def run(args) -> list[dict]:
    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import translation

    from tatulyq.accounts.models import Membership
    from tatulyq.grants.models import Proposal

    orgs = national.demo_world()
    national.generate()
    count = _proposals(orgs)
    _orders(orgs)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    requests = max(10, args.requests // 2)
    with translation.override("kk"):
        table_url, execution_url = reverse("grants:national"), reverse("grants:execution")
    ministry = client_for(_membership(orgs))
    with transaction.atomic():  # the same page over a handful of proposals
        Proposal.objects.filter(title=TITLE).exclude(
            pk__in=Proposal.objects.filter(title=TITLE)[:20]
        ).delete()
        _, small_queries = measure_get(ministry, table_url, requests=3, warmup=1)
        transaction.set_rollback(True)
    times, queries = measure_get(ministry, table_url, requests=requests, warmup=args.warmup)
    table = summarise(
        "grants_national_budget_table",
        times,
        queries,
        proposals=count,
        lines=count * len(LINES),
        queries_few_proposals=max(small_queries),
        target_ms=TABLE_TARGET_MS,
    )
    table["problems"] = (
        []
        if table["queries"] == table["queries_few_proposals"]
        else ["the query count grows with the number of proposals"]
    )
    region = Membership.objects.get(user__email="region@tatulyq.example", organisation=orgs["jambyl_akimat"])
    times, queries = measure_get(client_for(region), execution_url, requests=requests, warmup=args.warmup)
    execution = summarise("grants_budget_execution_region", times, queries, target_ms=EXECUTION_TARGET_MS)
    return [table, execution]
