"""Reading the state social order and grants: scoped lists, the national budget table,
the finance layout, the competition ranking and the budget execution."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear

from tatulyq.access import scoping
from tatulyq.accounts.models import Membership, Role
from tatulyq.directives.models import Answer, Project
from tatulyq.lib.collation import sort_key
from tatulyq.orgs.models import Organisation, OrganisationKind, OrganisationLevel, Territory

from .models import (
    Application,
    Competition,
    GrantAgreement,
    Proposal,
    ProposalLine,
    ReportExpenditure,
    Score,
    TopicBudget,
    Tranche,
)

ZERO = Decimal("0.00")
DISTRICT_KINDS = (OrganisationKind.DISTRICT_EDUCATION, OrganisationKind.DISTRICT_AKIMAT)


def proposal_fills_slot(answer: Answer) -> bool:
    """A directive's proposal slot is filled once the recipient's proposal is submitted."""
    return Proposal.objects.filter(
        recipient_id=answer.recipient_id, status=Proposal.Status.SUBMITTED
    ).exists()


def proposals(membership: Membership, *, status: str = "", consolidated: bool | None = None) -> QuerySet:
    """Proposals the membership sees, with what their list shows."""
    qs = scoping.visible_proposals(membership).select_related("organisation", "project")
    if status:
        qs = qs.filter(status=status)
    if consolidated is not None:
        qs = qs.filter(is_consolidated=consolidated)
    return qs.order_by("-updated_at", "-id")


def consolidation_candidates(membership: Membership) -> QuerySet:
    """Submitted proposals from below that the membership's organisation may merge and rank:
    a district its schools', a region its districts' (and any proposal sent straight to it)."""
    qs = (
        scoping.visible_proposals(membership)
        .filter(status=Proposal.Status.SUBMITTED)
        .exclude(organisation_id=membership.organisation_id)
    )
    if membership.organisation.level == OrganisationLevel.DISTRICT:
        qs = qs.filter(is_consolidated=False)
    return qs.select_related("organisation", "project").order_by("-total", "id")


# ---------------------------------------------------------------- the national budget table


@dataclass
class BudgetRow:
    project: Project | None
    region: Territory | None
    label: str = ""
    by_year: dict = field(default_factory=dict)
    proposals: int = 0
    cells: list = field(default_factory=list)  # by_year in the table's column order

    @property
    def total(self) -> Decimal:
        return sum(self.by_year.values(), start=ZERO)


@dataclass
class BudgetTable:
    years: list[int]
    rows: list[BudgetRow]
    project_totals: list[BudgetRow]
    grand: BudgetRow


def national_budget_table(membership: Membership) -> BudgetTable:
    """School and district proposals (not the consolidated copies) summed per project,
    region and year: one grouped query whatever the number of proposals."""
    reach = scoping.reach_of(membership.organisation)
    lines = ProposalLine.objects.filter(
        proposal__status=Proposal.Status.SUBMITTED,
        proposal__is_consolidated=False,
    )
    if reach.parent_id is not None:  # the whole republic needs no filter
        lines = lines.filter(proposal__organisation__path__startswith=reach.path)
    grouped = (
        lines.values(project=F("proposal__project_id"), region=F("proposal__region_id"), y=F("year"))
        .annotate(amount=Sum("total"), count=Count("proposal_id", distinct=True))
        .order_by()
    )
    projects = {p.pk: p for p in Project.objects.all()}
    regions = {}
    cells: dict[tuple, BudgetRow] = {}
    years = set()
    for row in grouped:
        key = (row["project"], row["region"])
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = BudgetRow(project=projects.get(row["project"]), region=None)
            regions.setdefault(row["region"], None)
        cell.by_year[row["y"]] = cell.by_year.get(row["y"], ZERO) + (row["amount"] or ZERO)
        cell.proposals = max(cell.proposals, row["count"])
        years.add(row["y"])
    names = {t.pk: t for t in Territory.objects.filter(pk__in=list(regions))}
    for (_project, region_id), cell in cells.items():
        cell.region = names.get(region_id)
        cell.label = cell.region.name if cell.region else ""
    rows = sorted(cells.values(), key=lambda r: (r.project.number if r.project else 99, sort_key(r.label)))
    per_project: dict = {}
    grand = BudgetRow(project=None, region=None)
    for row in rows:
        total = per_project.setdefault(
            row.project.pk if row.project else None, BudgetRow(project=row.project, region=None)
        )
        for year, amount in row.by_year.items():
            total.by_year[year] = total.by_year.get(year, ZERO) + amount
            grand.by_year[year] = grand.by_year.get(year, ZERO) + amount
        total.proposals += row.proposals
        grand.proposals += row.proposals
    years = sorted(years)
    for row in [*rows, *per_project.values(), grand]:
        row.cells = [row.by_year.get(year, ZERO) for year in years]
    return BudgetTable(years=years, rows=rows, project_totals=list(per_project.values()), grand=grand)


# ---------------------------------------------------------------- the finance layout


@dataclass
class FinanceRow:
    district: str
    organisation: str
    proposal: Proposal
    project: str
    year: int
    lines: int
    amount: Decimal


def finance_rows(membership: Membership, under: Organisation) -> list[FinanceRow]:
    """A row per proposal and year of the submitted proposals under an organisation,
    sorted by district, organisation, project and year (the finance department's layout)."""
    qs = scoping.visible_proposals(membership).filter(
        status=Proposal.Status.SUBMITTED,
        organisation__path__startswith=scoping.reach_of(under).path,
    )
    totals = (
        ProposalLine.objects.filter(proposal__in=qs)
        .values("proposal_id", "year")
        .annotate(amount=Sum("total"), lines=Count("id"))
        .order_by()
    )
    by_proposal = {p.pk: p for p in qs.select_related("organisation", "project")}
    districts = {
        o.pk: o.name
        for o in Organisation.objects.filter(kind__in=DISTRICT_KINDS, path__startswith=under.path)
    }
    rows = []
    for total in totals:
        proposal = by_proposal[total["proposal_id"]]
        org = proposal.organisation
        district = next((districts[i] for i in reversed([*org.ancestor_ids, org.pk]) if i in districts), "")
        rows.append(
            FinanceRow(
                district=district,
                organisation=org.name,
                proposal=proposal,
                project=proposal.project_label,
                year=total["year"],
                lines=total["lines"],
                amount=total["amount"] or ZERO,
            )
        )
    rows.sort(key=lambda r: (sort_key(r.district), sort_key(r.organisation), r.proposal.pk, r.year))
    return rows


# ---------------------------------------------------------------- competitions


def commission_candidates(membership: Membership) -> QuerySet:
    """Who the region may name to a competition's commission: active people of the regional
    akimat and education department who can log in (someone who cannot would never score,
    and once scoring begins the commission can no longer change)."""
    return (
        scoping.scope_to_organisations(
            Membership.objects.filter(is_active=True, user__is_active=True), membership, "organisation"
        )
        .exclude(role__in=[Role.NGO_STAFF, Role.AUDITOR])
        .filter(organisation__kind__in=["regional_akimat", "regional_education"])
        .select_related("user", "organisation")
        .order_by("user__full_name")
    )


@dataclass
class RankRow:
    application: Application
    average: Decimal | None
    members_scored: int
    rank: int = 0
    by_criterion: dict = field(default_factory=dict)


def ranking(competition: Competition) -> list[RankRow]:
    """Each member's weighted score of an application (Σ weight × score / 100), averaged over
    the members who scored it completely; ranked from the highest. Two queries."""
    criteria = {c.pk: c for c in competition.criteria.all()}
    sums: dict = defaultdict(lambda: defaultdict(Decimal))
    counts: dict = defaultdict(lambda: defaultdict(int))
    per_criterion: dict = defaultdict(lambda: defaultdict(list))
    for app_id, member_id, criterion_id, value in Score.objects.filter(
        application__competition=competition
    ).values_list("application_id", "member_id", "criterion_id", "value"):
        sums[app_id][member_id] += Decimal(criteria[criterion_id].weight * value) / 100
        counts[app_id][member_id] += 1
        per_criterion[app_id][criterion_id].append(value)
    rows = []
    for application in competition.applications.select_related("ngo").order_by("submitted_at"):
        complete = [m for m, n in counts[application.pk].items() if n == len(criteria)]
        average = (
            (sum(sums[application.pk][m] for m in complete) / len(complete)).quantize(Decimal("0.01"))
            if complete
            else None
        )
        rows.append(
            RankRow(
                application=application,
                average=average,
                members_scored=len(complete),
                by_criterion={
                    c: (Decimal(sum(v)) / len(v)).quantize(Decimal("0.1"))
                    for c, v in per_criterion[application.pk].items()
                },
            )
        )
    rows.sort(key=lambda r: (r.average is None, -(r.average or 0)))
    for index, row in enumerate(rows, 1):
        row.rank = index if row.average is not None else 0
    return rows


# ---------------------------------------------------------------- budget execution


@dataclass
class ExecutionRow:
    region: Territory
    project: Project | None
    year: int
    planned: Decimal = ZERO
    contracted: Decimal = ZERO
    paid: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def paid_share(self) -> int:
        return int(self.paid * 100 / self.planned) if self.planned else 0


def budget_execution(membership: Membership, *, region: Territory | None = None) -> list[ExecutionRow]:
    """Per region, project and year: planned in the approved state social order, contracted
    by agreements (their tranche schedule, any unscheduled rest in the starting year), paid,
    and reported spent. Five grouped queries, whatever the number of agreements."""
    reach = scoping.reach_of(membership.organisation)
    orders = {"order__organisation__path__startswith": reach.path, "order__status": "approved"}
    if region is not None:
        orders["order__region"] = region

    def under(path: str) -> dict:
        return {f"{path}{k}": v for k, v in orders.items()}

    cells: dict[tuple, ExecutionRow] = {}
    projects = {p.pk: p for p in Project.objects.all()}
    territories: dict[int, Territory] = {}

    def cell(region_id, project_id, year) -> ExecutionRow:
        key = (region_id, project_id, year)
        if key not in cells:
            territories.setdefault(region_id, None)
            cells[key] = ExecutionRow(region=region_id, project=projects.get(project_id), year=year)
        return cells[key]

    for row in (
        TopicBudget.objects.filter(**under("topic__"))
        .values(r=F("topic__order__region_id"), p=F("topic__project_id"), y=F("year"))
        .annotate(s=Sum("amount"))
    ):
        cell(row["r"], row["p"], row["y"]).planned += row["s"]
    tranche_filter = under("agreement__topic__")
    for row in (
        Tranche.objects.filter(**tranche_filter)
        .values(
            r=F("agreement__topic__order__region_id"),
            p=F("agreement__topic__project_id"),
            y=ExtractYear("planned_on"),
        )
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        cell(row["r"], row["p"], row["y"]).contracted += row["s"]
    for row in (
        GrantAgreement.objects.filter(**under("topic__"))
        .annotate(scheduled=Coalesce(Sum("tranches__amount"), ZERO))
        .values(
            "amount",
            "scheduled",
            r=F("topic__order__region_id"),
            p=F("topic__project_id"),
            y=ExtractYear("starts_on"),
        )
    ):
        rest = row["amount"] - row["scheduled"]
        if rest > 0:
            cell(row["r"], row["p"], row["y"]).contracted += rest
    for row in (
        Tranche.objects.filter(paid_on__isnull=False, **tranche_filter)
        .values(
            r=F("agreement__topic__order__region_id"),
            p=F("agreement__topic__project_id"),
            y=ExtractYear("paid_on"),
        )
        .annotate(s=Sum("paid_amount"))
        .order_by()
    ):
        cell(row["r"], row["p"], row["y"]).paid += row["s"]
    for row in (
        ReportExpenditure.objects.filter(
            report__status__in=("submitted", "accepted"), **under("report__agreement__topic__")
        )
        .values(
            r=F("report__agreement__topic__order__region_id"),
            p=F("report__agreement__topic__project_id"),
            y=ExtractYear("report__period_to"),
        )
        .annotate(s=Sum("spent"))
        .order_by()
    ):
        cell(row["r"], row["p"], row["y"]).spent += row["s"]
    names = {t.pk: t for t in Territory.objects.filter(pk__in=list(territories))}
    for row in cells.values():
        row.region = names[row.region]
    return sorted(
        cells.values(), key=lambda r: (sort_key(r.region.name), r.project.number if r.project else 99, r.year)
    )


def agreements(
    membership: Membership, *, region: int | None = None, project: int | None = None, year: int | None = None
) -> QuerySet:
    """Agreements behind a row of the budget execution (drill-down)."""
    qs = scoping.visible_agreements(membership).select_related(
        "ngo", "topic__order__region", "topic__project"
    )
    if region:
        qs = qs.filter(topic__order__region_id=region)
    if project:
        qs = qs.filter(topic__project_id=project)
    if year:
        qs = qs.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    return qs.annotate(
        paid=Coalesce(Sum("tranches__paid_amount"), ZERO),
    ).order_by("-signed_on", "-id")
