"""Everything one dashboard page shows for a node: its children with the chosen
indicator, completeness and outliers, all indicators at the node, the trend, and on the
national page the map and the two regions of each project side by side."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tatulyq.access import scoping
from tatulyq.directives.models import ImplementationCard
from tatulyq.orgs.models import Organisation, OrganisationKind

from . import charts, selectors
from .models import Aggregation, Indicator, Period
from .rollups import current_version


@dataclass
class Row:
    organisation: Organisation
    url: str
    figure: selectors.Figure
    completeness: selectors.Completeness
    outlier: selectors.Outlier | None


def default_period(periods: list[Period], today: datetime.date | None = None) -> Period | None:
    """The latest quarter whose schools' deadline has passed, else the first one."""
    today = today or timezone.localdate()
    done = [p for p in periods if p.school_deadline < today]
    return done[-1] if done else (periods[0] if periods else None)


def node_url(organisation: Organisation, query: str) -> str:
    return reverse("monitoring:node", args=[organisation.pk]) + (f"?{query}" if query else "")


def build(
    *,
    membership,
    node: Organisation,
    period: Period,
    basis: str,
    indicator: Indicator,
    all_indicators: list[Indicator],
    periods: list[Period],
    query: str,
) -> dict:
    version = current_version()  # shown on the page: which state of the data it reads
    exact = scoping.sees_small_cells(membership, node)
    children = selectors.child_nodes(node)
    values = selectors.node_values(children, [period.pk], basis)
    values.update(selectors.node_values([node], [p.pk for p in periods], basis))
    by_code = {i.code: i for i in all_indicators}
    needed = {i.code for i in all_indicators if i.counts_children}
    maps = {code: selectors.suppression_map(by_code[code], period.pk, basis) for code in needed}
    here = values.get((node.pk, period.pk), {})
    completeness = selectors.completeness(node, period, children)
    counts = indicator.aggregation == Aggregation.SUM and indicator.unit in ("count", "children")
    pupils = selectors.pupils_under(node, children) if counts and children else {}
    figures = {
        child.pk: selectors.figure(
            indicator, values.get((child.pk, period.pk), {}), node_id=child.pk, maps=maps, exact=False
        )
        for child in children
    }
    node_figure = selectors.figure(indicator, here, node_id=node.pk, maps=maps, exact=exact)
    outliers = (
        selectors.outliers({pk: f.value for pk, f in figures.items()}, pupils, node_figure.value)
        if pupils
        else {}
    )
    rows = [
        Row(child, node_url(child, query), figures[child.pk], completeness[child.pk], outliers.get(child.pk))
        for child in children
    ]
    overview = [
        (i, selectors.figure(i, here, node_id=node.pk, maps=maps, exact=exact)) for i in all_indicators
    ]

    trend_maps = {
        p.pk: (
            {indicator.code: selectors.suppression_map(indicator, p.pk, basis)}
            if indicator.counts_children
            else {}
        )
        for p in periods
    }
    if indicator.aggregation == Aggregation.RATIO:
        for p in periods:
            for code in (indicator.numerator, indicator.denominator):
                trend_maps[p.pk][code] = selectors.suppression_map(by_code[code], p.pk, basis)
    trend = [
        (
            p.label,
            selectors.figure(
                indicator,
                values.get((node.pk, p.pk), {}),
                node_id=node.pk,
                maps=trend_maps[p.pk],
                exact=exact,
            ),
        )
        for p in periods
    ]
    context = {
        "node": node,
        "children_rows": rows,
        "node_figure": node_figure,
        "node_completeness": completeness["node"],
        "overview": overview,
        "exact": exact,
        "trend": trend,
        "breadcrumb": selectors.breadcrumb(node),
        "counts": counts,
        "trend_svg": charts.line_chart(
            [(label, f.value, f.text) for label, f in trend],
            title=_("%(indicator)s by quarter") % {"indicator": indicator.name},
        ),
        "data_version": version,
    }
    if node.kind == OrganisationKind.REGIONAL_AKIMAT or exact:
        context["breakdowns"] = [
            (
                i,
                selectors.breakdown(
                    i,
                    here,
                    node_id=node.pk,
                    maps=maps,
                    exact=exact,
                    school=node.kind == OrganisationKind.SCHOOL,
                ),
            )
            for i in all_indicators
            if i.dimensions and i.counts_children
        ]
    if node.kind == OrganisationKind.MINISTRY:
        context.update(_national(rows, values, period, all_indicators, maps, indicator, query))
    return context


def _national(rows, values, period, all_indicators, maps, indicator, query) -> dict:
    regions = [
        {
            "code": row.organisation.territory.code,
            "name": row.organisation.territory.name,
            "value": row.figure.value,
            "text": row.figure.text,
            "url": row.url,
        }
        for row in rows
    ]
    svg = charts.region_map(
        regions,
        title=_("%(indicator)s by region") % {"indicator": indicator.name},
        legend_hidden=_("hidden or no data"),
    )
    akimat_of = {row.organisation.territory_id: row.organisation for row in rows}
    pairs = []
    cards = ImplementationCard.objects.select_related("project", "region").order_by(
        "project__number", "region__code"
    )
    by_project = {}
    for card in cards:
        by_project.setdefault(card.project, []).append(card)
    for project, project_cards in by_project.items():
        own = [i for i in all_indicators if i.project_id == project.pk]
        regions_here = [akimat_of.get(card.region_id) for card in project_cards]
        lines = []
        for item in own:
            lines.append(
                (
                    item,
                    [
                        selectors.figure(
                            item,
                            values.get((akimat.pk, period.pk), {}),
                            node_id=akimat.pk,
                            maps=maps,
                            exact=False,
                        )
                        if akimat
                        else None
                        for akimat in regions_here
                    ],
                )
            )
        pairs.append(
            {
                "project": project,
                "regions": regions_here,
                "lines": lines,
                "urls": [node_url(a, query) if a else "" for a in regions_here],
            }
        )
    return {"map_svg": svg, "pairs": pairs}
