"""Reading the aggregates: the figures of a node and its children with small cells
suppressed, completeness and timeliness, outliers, trends. A fixed number of queries
per page, whatever the size of the tree below."""

import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from tatulyq.access.scoping import REPORTING_KINDS
from tatulyq.cases.models import ReferralTarget
from tatulyq.orgs.models import Organisation, OrganisationKind

from . import suppression
from .models import (
    RECEIVED,
    Aggregate,
    Aggregation,
    Indicator,
    Period,
    Report,
    ReportStatus,
    ReportValue,
    SuppressionMap,
)
from .services import current_version as current_framework

ALL, APPROVED = "all", "approved"
BREAKDOWN_CELLS = {
    "sex": ["sex:f", "sex:m"],
    "age": ["age:6-10", "age:11-14", "age:15-18"],
    "area": ["area:urban", "area:rural"],
    "service": [f"service:{target}" for target in ReferralTarget.values],
}
CELL_LABELS = {
    "sex:f": _("girls"),
    "sex:m": _("boys"),
    "age:6-10": _("6–10 years"),
    "age:11-14": _("11–14 years"),
    "age:15-18": _("15–18 years"),
    "area:urban": _("in urban schools"),
    "area:rural": _("in rural schools"),
    **{f"service:{target}": label for target, label in ReferralTarget.choices},
}
DIMENSION_LABELS = {
    "sex": _("by sex"),
    "age": _("by age band"),
    "area": _("by urban or rural school"),
    "service": _("by kind of service"),
}
# Dimensions that follow the reporting school, not the child: one school's only cell would
# repeat its total, so a single school's breakdown leaves them out.
SCHOOL_DIMENSIONS = {"area"}
HIDDEN = {suppression.PRIMARY: "<5", suppression.SECONDARY: "×", suppression.WITHHELD: "…"}


# The part of "all data" not yet accepted; never a view of its own (see _compute_suppression).
PENDING = "pending"
PART_STATUSES = {
    APPROVED: (ReportStatus.ACCEPTED,),
    PENDING: tuple(status for status in RECEIVED if status != ReportStatus.ACCEPTED),
}


def statuses_for(basis: str):
    return (ReportStatus.ACCEPTED,) if basis == APPROVED else RECEIVED


def indicators() -> list[Indicator]:
    version = current_framework()
    return list(version.indicators.select_related("project").order_by("position")) if version else []


def periods() -> list[Period]:
    return list(Period.objects.order_by("year", "quarter"))


def national_node() -> Organisation | None:
    return Organisation.objects.filter(kind=OrganisationKind.MINISTRY, parent=None).order_by("pk").first()


def child_nodes(node: Organisation) -> list[Organisation]:
    if node.kind == OrganisationKind.MINISTRY:
        found = Organisation.objects.filter(parent=node, kind=OrganisationKind.REGIONAL_AKIMAT)
        return list(found.select_related("territory").order_by("territory__code"))
    if node.kind == OrganisationKind.REGIONAL_AKIMAT:
        found = Organisation.objects.filter(parent=node, kind=OrganisationKind.DISTRICT_AKIMAT)
        return list(found.select_related("territory").order_by("territory__code", "pk"))
    if node.kind == OrganisationKind.DISTRICT_AKIMAT:
        found = Organisation.objects.filter(path__startswith=node.path, kind=OrganisationKind.SCHOOL)
        return list(found.select_related("territory").order_by("name_kk", "pk"))
    return []


def breadcrumb(node: Organisation) -> list[Organisation]:
    ancestors = Organisation.objects.filter(
        pk__in=node.ancestor_ids,
        kind__in=(
            OrganisationKind.MINISTRY,
            OrganisationKind.REGIONAL_AKIMAT,
            OrganisationKind.DISTRICT_AKIMAT,
        ),
    )
    return sorted(ancestors, key=lambda org: org.depth)


# ---------------------------------------------------------------- raw values


def node_values(nodes: list[Organisation], period_ids: list[int], basis: str) -> dict:
    """{(node id, period id): {code: {cell: Decimal}}} for aggregate nodes and schools."""
    out = defaultdict(lambda: defaultdict(dict))
    aggregate_ids = [n.pk for n in nodes if n.kind != OrganisationKind.SCHOOL]
    school_ids = [n.pk for n in nodes if n.kind == OrganisationKind.SCHOOL]
    column = "value_approved" if basis == APPROVED else "value_all"
    if aggregate_ids:
        rows = Aggregate.objects.filter(node_id__in=aggregate_ids, period_id__in=period_ids).values_list(
            "node_id", "period_id", "code", "cell", column
        )
        for node, period, code, cell, value in rows:
            out[(node, period)][code][cell] = value
    if school_ids:
        rows = (
            ReportValue.objects.filter(
                report__organisation_id__in=school_ids,
                period_id__in=period_ids,
                report__status__in=statuses_for(basis),
            )
            .exclude(value=None)
            .values_list("report__organisation_id", "period_id", "code", "cell", "value")
        )
        for node, period, code, cell, value in rows:
            out[(node, period)][code][cell] = value
    return out


def median_of(histogram: dict) -> tuple[Decimal | None, int]:
    counts = sorted((int(cell[2:]), int(n)) for cell, n in histogram.items() if cell.startswith("d:") and n)
    total = sum(n for _days, n in counts)
    if not total:
        return None, 0
    middle, seen, values = (total + 1) / 2, 0, []
    for days, n in counts:
        previous, seen = seen, seen + n
        if previous < math.floor(middle) <= seen:
            values.append(days)
        if previous < math.ceil(middle) <= seen:
            values.append(days)
    return Decimal(sum(values[:2])) / Decimal(len(values[:2]) or 1), total


# ---------------------------------------------------------------- suppression


def _tree():
    """The aggregate tree above schools: (root id, {region id: parent}, {district id: region id}).
    Read every time (two small queries), never cached: a stale tree could leave a cell unprotected."""
    root = national_node()
    regions = dict(
        Organisation.objects.filter(kind=OrganisationKind.REGIONAL_AKIMAT).values_list("pk", "parent_id")
    )
    districts = dict(
        Organisation.objects.filter(kind=OrganisationKind.DISTRICT_AKIMAT).values_list("pk", "parent_id")
    )
    return (root.pk if root else None, regions, districts)


def suppression_map(indicator: Indicator, period_id: int, basis: str) -> dict:
    """Which published cells of a children-counting indicator are hidden, for the whole
    country at once (so that a cell is hidden on every page that shows it)."""
    if not indicator.counts_children or indicator.aggregation != Aggregation.SUM:
        return {}
    version, changed_at = Period.objects.filter(pk=period_id).values_list(
        "data_version", "data_changed_at"
    ).first() or (0, None)
    stamp = changed_at.timestamp() if changed_at else 0

    def cache_key(basis_):
        return f"monitoring:suppress:{period_id}:{version}:{stamp}:{indicator.code}:{basis_}"

    found = cache.get(cache_key(basis))
    if found is not None:
        return found
    stored = SuppressionMap.objects.filter(period_id=period_id, code=indicator.code, basis=basis).first()
    if stored is not None and stored.version == version and stored.changed_at == changed_at:
        found = {tuple(item[:-1]): item[-1] for item in stored.hidden}
        cache.set(cache_key(basis), found, 3600)
        return found
    # Both views at once: "all data" is built from the approved part anyway.
    computed = _compute_suppression(indicator, period_id)
    for basis_, found_ in computed.items():
        SuppressionMap.objects.update_or_create(
            period_id=period_id,
            code=indicator.code,
            basis=basis_,
            defaults={
                "version": version,
                "changed_at": changed_at,
                "hidden": [[*key_, state] for key_, state in found_.items()],
            },
        )
        cache.set(cache_key(basis_), found_, 3600)
    return computed[basis]


def warm_suppression(period_id: int, version: int) -> int:
    """Compute the quarter's maps ahead of the pages (the task after each change); returns
    how many were computed, 0 when a newer change has come since (its own task will)."""
    current = Period.objects.filter(pk=period_id).values_list("data_version", flat=True).first()
    if current != version:
        return 0
    done = 0
    for indicator in indicators():
        if indicator.counts_children and indicator.aggregation == Aggregation.SUM:
            for basis in (ALL, APPROVED):  # the second is stored by the first
                suppression_map(indicator, period_id, basis)
                done += 1
    return done


def _compute_suppression(indicator: Indicator, period_id: int) -> dict:
    """{APPROVED: the approved part on its own, ALL: the approved and the pending part
    combined (suppression.combine)}: each part's table is suppressed, never the sum's, so
    that the two views side by side cannot be differenced."""
    tree = _tree()
    if tree[0] is None:
        return {APPROVED: {}, ALL: {}}
    approved, approved_cells = _part_suppression(indicator, period_id, APPROVED, tree)
    pending, pending_cells = _part_suppression(indicator, period_id, PENDING, tree)
    return {
        APPROVED: approved,
        ALL: suppression.combine((approved, approved_cells), (pending, pending_cells)),
    }


def _part_suppression(indicator: Indicator, period_id: int, part: str, tree) -> tuple[dict, set]:
    """(hidden cells, every cell of the table) for one part: the accepted reports
    (APPROVED) or those received and not yet accepted (PENDING)."""
    root, regions, districts = tree
    statuses = PART_STATUSES[part]
    cells = [c for dim in indicator.dimensions for c in BREAKDOWN_CELLS.get(dim, [])]
    # Who reported in this part is public (the completeness pages show it), so a node
    # nobody below reported to in this part is a known 0, not a variable; the same
    # for a node without an aggregate row, which shows "—".
    reported = ReportValue.objects.filter(
        period_id=period_id, code=indicator.code, cell="", report__status__in=statuses
    ).exclude(value=None)
    present = {root}
    schools = []
    for school, kind, district, region, value in reported.values_list(
        "report__organisation_id",
        "report__organisation__kind",
        "report__district_node_id",
        "report__region_node_id",
        "value",
    ):
        present.update((district, region))
        if kind == OrganisationKind.SCHOOL:
            schools.append((school, district, region, value))
    present.discard(None)
    if len(present) == 1:
        return {}, set()
    values: dict = {}
    present_cells = []
    for node, cell, value_all, value_approved in Aggregate.objects.filter(
        period_id=period_id, code=indicator.code, cell__in=["", *cells], node_id__in=present
    ).values_list("node_id", "cell", "value_all", "value_approved"):
        value = int(value_approved if part == APPROVED else value_all - value_approved)
        if cell == "":
            if node == root or node in regions or node in districts:
                values[("n", node)] = value
        elif node in regions:
            present_cells.append((("c", node, cell), value))
    breakdown = {("c", r, c): 0 for r in regions if ("n", r) in values for c in cells}
    for key, value in present_cells:
        if key in breakdown:
            breakdown[key] = value
    members = defaultdict(list)
    for region, parent in regions.items():
        if ("n", region) in values:
            members[("n", parent)].append(("n", region))
    for district, region in districts.items():
        if ("n", district) in values:
            members[("n", region)].append(("n", district))
    region_of = {}  # every school and district node: its region
    for school, district, region, value in schools:
        parent = ("n", district) if district in districts else ("n", region) if region in regions else None
        if parent is None or parent not in values:
            continue
        values[("n", school)] = int(value)
        members[parent].append(("n", school))
        region_of[("n", school)] = region
    region_of.update({("n", district): region for district, region in districts.items()})
    area = {("c", r, c) for r in regions for c in BREAKDOWN_CELLS["area"]} & set(breakdown)
    # The urban and rural cells are not in the equations: they are published only where
    # they give nothing away (see suppression.withhold_linked), and otherwise withheld.
    table = suppression.Table(values={**values, **{k: v for k, v in breakdown.items() if k not in area}})
    for total, kids in members.items():
        if total in values:
            table.equations.append((total, kids, values[total] - sum(values[k] for k in kids)))
    for region in regions:
        if ("n", region) not in values:
            continue
        for dim in indicator.dimensions:
            if dim == "area":
                continue
            dim_cells = [("c", region, c) for c in BREAKDOWN_CELLS.get(dim, [])]
            if dim_cells:
                table.equations.append(
                    (("n", region), dim_cells, values[("n", region)] - sum(breakdown[c] for c in dim_cells))
                )
    status = suppression.suppress(table)
    if area:
        below = defaultdict(list)
        for key, region in region_of.items():
            if key in values:
                below[region].append(key)
        linked = {region: ([c for c in area if c[1] == region], below[region]) for region in regions}
        status.update(suppression.withhold_linked(status, linked))
    return status, set(table.values) | area


# ---------------------------------------------------------------- figures


@dataclass
class Figure:
    value: Decimal | None
    text: str
    hidden: str = ""  # "primary", "secondary" or "few" (a median or share over fewer than 5)
    n: int | None = None
    # A hidden sum of quarters: what the quarters' published figures say of it (low, high
    # or None for no upper bound).
    bounds: tuple[int, int | None] | None = None

    @property
    def is_hidden(self) -> bool:
        return bool(self.hidden)


def _format(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:.1f}"
    if unit == "money":
        return f"{value:,.0f}".replace(",", "\u202f")
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:.1f}"


def figure(indicator: Indicator, data: dict, *, node_id: int, maps: dict, exact: bool) -> Figure:
    """One indicator's figure at a node. `maps`: {code: suppression map}; `exact` for the
    school's own staff, who see their own small numbers."""
    cells = data.get(indicator.code, {})
    if indicator.aggregation == Aggregation.MEDIAN:
        value, n = median_of(cells)
        if value is not None and n < suppression.THRESHOLD and not exact:
            return Figure(None, "<5", "few", n)
        return Figure(value, _format(value, indicator.unit), n=n)
    if indicator.aggregation == Aggregation.RATIO:
        parts = []
        for code in (indicator.numerator, indicator.denominator):
            state = maps.get(code, {}).get(("n", node_id))
            if state and not exact:
                return Figure(None, HIDDEN[suppression.SECONDARY], "few")
            parts.append(data.get(code, {}).get(""))
        numerator, denominator = parts
        if not denominator:
            return Figure(None, "—")
        if not exact and min(numerator or 0, denominator) < suppression.THRESHOLD:
            # A share of a count under 5 would give the count away.
            return Figure(None, HIDDEN[suppression.SECONDARY], "few")
        value = Decimal(100) * (numerator or 0) / denominator
        return Figure(value, _format(value, indicator.unit))
    if "" not in cells:
        return Figure(None, "—")
    value = cells[""]
    if value is None:
        return Figure(None, "—")
    state = None if exact else maps.get(indicator.code, {}).get(("n", node_id))
    if (
        not exact
        and indicator.counts_children
        and value < suppression.THRESHOLD
        and state != suppression.WITHHELD  # "<5" would say more than "…"
    ):
        state = suppression.PRIMARY  # whatever the map says: it may be a moment older or newer
    if state:
        return Figure(None, HIDDEN[state], state)
    return Figure(value, _format(value, indicator.unit))


def report_figures(report, indicators: list[Indicator], values: dict, *, exact: bool) -> dict:
    """{code: Figure} of one report as its viewer may see it. Above school level a received
    report's figures about children are hidden exactly as on the dashboard (the report is a
    node of the tree: the school, or the region for a region's own report); a report not
    sent up is in no published total, so hiding its small figures is enough."""
    node_id = (
        report.organisation_id
        if report.organisation.kind == OrganisationKind.SCHOOL
        else report.region_node_id
    )
    received = report.status in RECEIVED
    maps = {}
    if not exact and received:
        maps = {i.code: suppression_map(i, report.period_id, ALL) for i in indicators if i.counts_children}
    result = {}
    for indicator in indicators:
        found = figure(indicator, values, node_id=node_id, maps=maps, exact=exact)
        if (
            not exact
            and not received
            and indicator.counts_children
            and found.value is not None
            and found.value < suppression.THRESHOLD
        ):
            found = Figure(None, HIDDEN[suppression.PRIMARY], suppression.PRIMARY)
        result[indicator.code] = found
    return result


def breakdown(
    indicator: Indicator, data: dict, *, node_id: int, maps: dict, exact: bool, school: bool = False
) -> list:
    """[(dimension, [(cell, Figure)])]: shown only for regions (and a school's own staff;
    `school`: one school's figures, whose urban or rural cell would only repeat the total)."""
    cells = data.get(indicator.code, {})
    rows = []
    for dim in indicator.dimensions:
        if school and dim in SCHOOL_DIMENSIONS:
            continue
        figures = []
        for cell in BREAKDOWN_CELLS.get(dim, []):
            value = cells.get(cell, Decimal(0))
            state = None if exact else maps.get(indicator.code, {}).get(("c", node_id, cell))
            if (
                not exact
                and indicator.counts_children
                and value < suppression.THRESHOLD
                and state != suppression.WITHHELD  # "<5" would say more than "…"
            ):
                state = suppression.PRIMARY
            figures.append(
                (
                    CELL_LABELS.get(cell, cell),
                    Figure(None, HIDDEN[state], state)
                    if state
                    else Figure(value, _format(value, indicator.unit)),
                )
            )
        if figures:
            rows.append((DIMENSION_LABELS.get(dim, dim), figures))
    return rows


# ---------------------------------------------------------------- completeness


@dataclass
class Completeness:
    expected: int = 0
    received: int = 0
    timely: int = 0
    accepted: int = 0
    required: int = 0
    filled: int = 0

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def completeness(self):
        return self._share(self.received, self.expected)

    @property
    def timeliness(self):
        return self._share(self.timely, self.expected)

    @property
    def objective(self):
        return self._share(self.filled, self.required)


def deadline_for(kind: str, period: Period):
    """The date by which an organisation of this kind files (or, «Өркен», approves)."""
    return {
        OrganisationKind.SCHOOL: period.school_deadline,
        OrganisationKind.DISTRICT_EDUCATION: period.district_deadline,
        OrganisationKind.REGIONAL_EDUCATION: period.region_deadline,
        OrganisationKind.METHODOLOGICAL_CENTRE: period.national_deadline,
    }.get(kind, period.region_deadline)


def completeness(node: Organisation, period: Period, children: list[Organisation]) -> dict:
    """{child id or "node": Completeness}: reports received ÷ expected, received by the
    deadline ÷ expected (DHIS2), and required values filled ÷ required (objective)."""
    from django.utils import timezone

    child_ids = {c.pk for c in children}
    result = defaultdict(Completeness)

    def bucket(path: str):
        for part in path.strip("/").split("/"):
            if int(part) in child_ids:
                return int(part)
        return None

    expected = (
        Organisation.objects.filter(path__startswith=node.path, kind__in=REPORTING_KINDS)
        .exclude(opened_on__gt=period.ends_on)
        .exclude(closed_on__lt=period.starts_on)
        .values_list("pk", "path", "kind")
    )
    where = {}
    for pk, path, kind in expected:
        where[pk] = (bucket(path), kind)
        result["node"].expected += 1
        if where[pk][0] is not None:
            result[where[pk][0]].expected += 1
    reports = Report.objects.filter(period=period, organisation__path__startswith=node.path).values_list(
        "organisation_id", "status", "submitted_at", "required_count", "filled_count"
    )
    for org, status, submitted_at, required, filled in reports:
        if org not in where:
            continue
        child, kind = where[org]
        targets = [result["node"]] + ([result[child]] if child is not None else [])
        received = status in RECEIVED
        timely = received and submitted_at and timezone.localdate(submitted_at) <= deadline_for(kind, period)
        for target in targets:
            target.received += received
            target.timely += bool(timely)
            target.accepted += status == ReportStatus.ACCEPTED
            if received:
                target.required += required
                target.filled += filled
    return result


# ---------------------------------------------------------------- outliers


def pupils_under(node: Organisation, children: list[Organisation]) -> dict:
    child_ids = {c.pk for c in children}
    totals = defaultdict(int)
    rows = (
        Organisation.objects.filter(path__startswith=node.path, kind=OrganisationKind.SCHOOL)
        .exclude(pupils_count=None)
        .values_list("path", "pupils_count")
    )
    for path, pupils in rows:
        totals["node"] += pupils
        for part in path.strip("/").split("/"):
            if int(part) in child_ids:
                totals[int(part)] += pupils
                break
    return totals


def poisson_tail(k: int, mu: float, upper: bool) -> float:
    """P(X ≥ k) (upper) or P(X ≤ k) for X ~ Poisson(mu)."""
    if mu <= 0:
        return 1.0 if (not upper or k <= 0) else 0.0
    term, cdf = math.exp(-mu), 0.0
    for i in range(k + (0 if upper else 1)):
        cdf += term
        term *= mu / (i + 1)
    return max(0.0, 1.0 - cdf) if upper else min(1.0, cdf)


@dataclass
class Outlier:
    rate: float | None
    flag: str = ""  # "high", "low" or ""


def outliers(count: dict, pupils: dict, node_total: Decimal | None, *, alpha: float = 0.001) -> dict:
    """Rates per 1,000 pupils and a Poisson test against the parent's rate: fit for small
    counts where mean ± 2 SD is not. `count`: {child id: shown count or None}."""
    result = {}
    node_pupils = pupils.get("node") or 0
    base = float(node_total or 0) / node_pupils if node_pupils else 0.0
    for child, value in count.items():
        n = pupils.get(child) or 0
        if value is None or not n:
            result[child] = Outlier(None)
            continue
        k, mu = int(value), base * n
        flag = (
            "high"
            if poisson_tail(k, mu, True) < alpha
            else "low"
            if poisson_tail(k, mu, False) < alpha
            else ""
        )
        result[child] = Outlier(round(1000 * k / n, 1), flag)
    return result
