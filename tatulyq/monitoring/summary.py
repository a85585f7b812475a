"""The stage-3 national summary: for each project and each of its two regions, the
implementation status and stage, the responsible specialist, measures done, state social
order and grants, reach, indicators against targets, completeness of reporting and the
region's narrative; a national overview first. Figures are approved data (accepted
reports) of the quarters begun by the chosen date, added up (flows) or the latest (stocks);
figures about children are suppressed as on the dashboards, a hidden sum shown as the range
its quarters' published figures give. DOCX, PDF and XLSX, in Kazakh or Russian, made by a
background task that reports its progress and keeps the files with the data version."""

import datetime
import io
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.directives import registry
from tatulyq.documents.rendering import render_pdf
from tatulyq.orgs.models import Organisation, OrganisationKind

from . import selectors, sources, suppression
from .models import Aggregate, Aggregation, OverTime, Period, Report, ReportStatus, ReportValue, SummaryExport
from .rollups import current_version

GRANT_CODES = ("grants-planned", "grants-contracted", "grants-paid", "grants-spent", "grants-ngos")


@dataclass
class Line:
    indicator: object
    figure: selectors.Figure
    target: str
    share: str


@dataclass
class RegionPart:
    region: str
    stage: str
    specialist: str
    measures: str
    grants: list
    reach: str
    lines: list
    completeness: selectors.Completeness
    narrative: str


@dataclass
class Content:
    as_of: datetime.date
    language: str
    data_version: int
    periods: list
    overview: list
    completeness: selectors.Completeness
    grants_available: bool
    projects: list = field(default_factory=list)


def _target_text(indicator, figure) -> tuple[str, str]:
    if indicator.target is None:
        return "—", "—"
    target = selectors._format(indicator.target, indicator.unit)
    if figure.value is None and figure.bounds and indicator.target:
        # Outward rounding, so that the printed range still holds the share.
        low, high = figure.bounds
        low_share = math.floor(100 * low / indicator.target)
        if high is None:
            return target, f"≥\u202f{low_share}%" if low_share else "—"
        return target, f"{low_share}–{math.ceil(100 * high / indicator.target)}%"
    if figure.value is None or not indicator.target:
        return target, "—"
    return target, f"{100 * figure.value / indicator.target:.0f}%"


def build(*, as_of: datetime.date, language: str, progress=lambda n: None) -> Content:
    """Everything the documents show, read in a fixed number of queries (plus one
    suppression computation per children-counting indicator and quarter, cached)."""
    with translation.override(language):
        # Figures, suppression maps and the version are read one after another: a report
        # accepted meanwhile would mix two states under one label, so read again.
        for _attempt in range(3):
            version = current_version()
            content = _build(as_of, language, progress, version)
            if current_version() == version:
                break
        return content


def _build(as_of, language, progress, version: int) -> Content:
    periods = [p for p in Period.objects.order_by("year", "quarter") if p.starts_on <= as_of]
    period_ids = [p.pk for p in periods]
    indicators = selectors.indicators()
    national = selectors.national_node()
    akimats = {
        o.territory_id: o
        for o in Organisation.objects.filter(kind=OrganisationKind.REGIONAL_AKIMAT).select_related(
            "territory"
        )
    }
    node_ids = [national.pk, *(a.pk for a in akimats.values())]
    stocks = {i.code for i in indicators if i.over_time == OverTime.LAST}
    # Approved values per node, {node: {code: {cell: value}}}: flows added up over the
    # quarters, stocks kept by quarter until the latest one is known.
    totals = defaultdict(lambda: defaultdict(lambda: defaultdict(Decimal)))
    by_quarter = defaultdict(dict)  # (node, code): {period: {cell: value}}
    for node, code, cell, period_id, value in Aggregate.objects.filter(
        node_id__in=node_ids, period_id__in=period_ids
    ).values_list("node_id", "code", "cell", "period_id", "value_approved"):
        by_quarter[(node, code)].setdefault(period_id, {})[cell] = value
        if code not in stocks:
            totals[node][code][cell] += value
    progress(20)
    # A cumulative figure is the sum of its quarters, each suppressed on its own on the
    # dashboards: it is shown where every quarter is, and its mark says no more than the
    # quarters' marks (suppression.combine), so setting the summary beside the quarterly
    # figures gives nothing away.
    reported = defaultdict(set)  # (code, period): nodes someone reported an approved value to
    for code, period_id, region in (
        ReportValue.objects.filter(period_id__in=period_ids, cell="", report__status=ReportStatus.ACCEPTED)
        .exclude(value=None)
        .values_list("code", "period_id", "report__region_node_id")
        .distinct()
    ):
        reported[(code, period_id)].update({("n", national.pk), ("n", region)})
    maps, ranges = {}, {}
    stock_quarters = {}  # (code, region node): the quarter its stock figure is from
    for indicator in indicators:
        if indicator.code in stocks:
            maps[indicator.code] = _latest_quarters(
                indicator, periods, national.pk, akimats, reported, by_quarter, totals, stock_quarters
            )
            continue
        if not (indicator.counts_children and indicator.aggregation == Aggregation.SUM):
            continue
        quarters = []
        for period in periods:
            quarter = selectors.suppression_map(indicator, period.pk, selectors.APPROVED)
            quarters.append(
                (
                    {k: v for k, v in quarter.items() if k[0] == "n" and k[1] in node_ids},
                    reported[(indicator.code, period.pk)],
                )
            )
        maps[indicator.code] = suppression.combine(*quarters) if quarters else {}
        for key, state in maps[indicator.code].items():
            if state != suppression.PRIMARY:
                ranges[(indicator.code, key[1])] = _range_of_quarters(
                    indicator,
                    key[1],
                    [by_quarter[(key[1], indicator.code)].get(p.pk, {}) for p in periods],
                    [hidden for hidden, _cells in quarters],
                )
    progress(50)

    with_data = {period_id for (_code, period_id), nodes in reported.items() if nodes}
    newest = max((p for p in periods if p.pk in with_data), default=None, key=_key)

    def figure(indicator, node_id):
        found = selectors.figure(indicator, totals[node_id], node_id=node_id, maps=maps, exact=False)
        quarter = stock_quarters.get((indicator.code, node_id))
        if quarter and newest and _key(quarter) < _key(newest):
            # A stock from before the latest quarter with approved data says so.
            found = selectors.Figure(found.value, f"{found.text} ({quarter.label})", found.hidden, found.n)
        low, high = ranges.get((indicator.code, node_id), (0, None))
        if found.hidden in (suppression.SECONDARY, suppression.WITHHELD) and (low or high is not None):
            text = f"≥\u202f{low}" if high is None else f"{low}–{high}"
            return selectors.Figure(None, text, found.hidden, bounds=(low, high))
        return found

    overview = []
    for indicator in indicators:
        f = figure(indicator, national.pk)
        overview.append(Line(indicator, f, *_target_text(indicator, f)))
    grants_available = sources.available("grants")
    completeness_by_region = _completeness(periods, akimats)
    narratives = _narratives(as_of, akimats)
    content = Content(
        as_of=as_of,
        language=language,
        data_version=version,
        periods=periods,
        overview=overview,
        completeness=completeness_by_region.pop("node", selectors.Completeness()),
        grants_available=grants_available,
    )
    for card in registry.national_table():
        akimat = akimats.get(card.region_id)
        own = [i for i in indicators if i.project_id == card.project_id]
        own += [i for i in indicators if i.source == "directives"]
        lines = []
        for indicator in own:
            f = figure(indicator, akimat.pk) if akimat else selectors.Figure(None, "—")
            lines.append(Line(indicator, f, *_target_text(indicator, f)))
        specialist = card.current_specialists[0] if card.current_specialists else None
        grants = []
        if grants_available and akimat:
            by_code = {i.code: i for i in indicators}
            grants = [
                (by_code[c].name, figure(by_code[c], akimat.pk).text) for c in GRANT_CODES if c in by_code
            ]
        reach = "—"
        if grants_available and akimat:
            reach_indicator = next((i for i in indicators if i.code == "grants-reach"), None)
            reach = figure(reach_indicator, akimat.pk).text if reach_indicator else "—"
        part = RegionPart(
            region=card.region.name,
            stage=(
                (_("Stage %(number)s") % {"number": card.stage.number}) + f": {card.stage.name}"
                if card.stage
                else _("not set")
            ),
            specialist=(
                f"{specialist.full_name}, {specialist.position}, {specialist.phone}"
                if specialist
                else _("not designated yet")
            ),
            measures=f"{card.measures_done} / {card.measures_total}",
            grants=grants,
            reach=reach,
            lines=lines,
            completeness=completeness_by_region.get(akimat.pk if akimat else None, selectors.Completeness()),
            narrative=narratives.get(akimat.pk if akimat else None, ""),
        )
        if not content.projects or content.projects[-1]["project"].pk != card.project_id:
            content.projects.append({"project": card.project, "regions": []})
        content.projects[-1]["regions"].append(part)
    progress(60)
    return content


def _range_of_quarters(indicator, node_id, data_by_quarter: list, maps_by_quarter: list) -> tuple:
    """What the quarters shown on the dashboards ("approved only") say of a hidden sum of
    them: their shown values added up, plus 0–4 for each "<5", 5 or more for each "×" and
    anything for each "…" (None: no upper bound). Each quarter is taken as the dashboard
    shows it (selectors.figure), so the range comes from published figures alone and
    showing it gives nothing away; a reader gets "23–39" rather than "×"."""
    low, high = 0, 0
    for cells, hidden in zip(data_by_quarter, maps_by_quarter, strict=True):
        shown = selectors.figure(
            indicator, {indicator.code: cells}, node_id=node_id, maps={indicator.code: hidden}, exact=False
        )
        if shown.hidden:
            domain_low, domain_high = suppression._domain(0, shown.hidden)
        else:
            domain_low = domain_high = int(shown.value or 0)  # "—": nobody reported, a known 0
        low += domain_low
        high = None if high is None or domain_high >= suppression.BIG else high + domain_high
    return low, high


def _key(period) -> tuple:
    return period.year, period.quarter


def _latest_quarters(
    indicator, periods, national_id, akimats, reported, by_quarter, totals, quarters
) -> dict:
    """A stock over several quarters: each region's figure is its latest quarter with an
    approved value, the Republic's the sum of those (DHIS2's "last value", summed up the
    hierarchy). Fills `totals` and `quarters` (which quarter each region's figure is
    from); returns the suppression map of these figures for an indicator about children:
    a region's mark is the one its quarter shows on the dashboard, the Republic's follows
    from the regions' marks (suppression.combine), so the summary says nothing the
    quarterly figures do not."""
    code, national_key = indicator.code, ("n", national_id)
    hidden, parts = {}, []
    for akimat in akimats.values():
        latest = next((p for p in reversed(periods) if ("n", akimat.pk) in reported[(code, p.pk)]), None)
        if latest is None:
            continue
        quarters[(code, akimat.pk)] = latest
        cells = by_quarter[(akimat.pk, code)].get(latest.pk, {})
        for cell, value in cells.items():
            totals[akimat.pk][code][cell] = value
            totals[national_id][code][cell] += value
        state = None
        if indicator.counts_children:
            quarter = selectors.suppression_map(indicator, latest.pk, selectors.APPROVED)
            state = quarter.get(("n", akimat.pk))
            if state is None and cells.get("", 0) < suppression.THRESHOLD:
                state = suppression.PRIMARY
            if state:
                hidden[("n", akimat.pk)] = state
        parts.append(({national_key: state} if state else {}, {national_key}))
    if indicator.counts_children and parts:
        hidden.update(suppression.combine(*parts))
    return hidden


def _completeness(periods, akimats) -> dict:
    result = defaultdict(selectors.Completeness)
    region_of_path = {a.path: a.pk for a in akimats.values()}
    orgs = list(
        Organisation.objects.filter(kind__in=selectors.REPORTING_KINDS, depth__gte=1).values_list(
            "pk", "path", "kind", "opened_on", "closed_on"
        )
    )
    where = {}
    for pk, path, kind, opened, closed in orgs:
        prefix = "/".join(path.split("/")[:3]) + "/"
        where[pk] = (region_of_path.get(prefix), kind)
        for period in periods:
            if (opened and opened > period.ends_on) or (closed and closed < period.starts_on):
                continue
            result["node"].expected += 1
            if where[pk][0]:
                result[where[pk][0]].expected += 1
    deadlines = {p.pk: p for p in periods}
    for org, period_id, status, submitted_at, required, filled in Report.objects.filter(
        period__in=periods
    ).values_list("organisation_id", "period_id", "status", "submitted_at", "required_count", "filled_count"):
        region, kind = where.get(org, (None, None))
        received = status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
        timely = (
            received
            and submitted_at
            and timezone.localdate(submitted_at) <= selectors.deadline_for(kind, deadlines[period_id])
        )
        for target in [result["node"]] + ([result[region]] if region else []):
            target.received += received
            target.timely += bool(timely)
            target.accepted += status == ReportStatus.ACCEPTED
            if received:
                target.required += required
                target.filled += filled
    return result


def _narratives(as_of, akimats) -> dict:
    latest = (
        Report.objects.filter(
            organisation__kind=OrganisationKind.REGIONAL_EDUCATION, period__starts_on__lte=as_of
        )
        .exclude(narrative="")
        .values("region_node_id")
        .annotate(last=Max("period__starts_on"))
    )
    wanted = {(row["region_node_id"], row["last"]) for row in latest}
    found = {}
    for region, starts, text in (
        Report.objects.filter(
            organisation__kind=OrganisationKind.REGIONAL_EDUCATION, period__starts_on__lte=as_of
        )
        .exclude(narrative="")
        .values_list("region_node_id", "period__starts_on", "narrative")
    ):
        if (region, starts) in wanted:
            found[region] = text
    return found


# ---------------------------------------------------------------- documents


def _reading_notes() -> list[str]:
    """How to read the figures, in the active language (PDF and DOCX print the same)."""
    return [
        _(
            "Figures about children: fewer than 5 is shown as “<5”; “×” hides a figure of 5 or more so "
            "that a total cannot reveal a small one; “…” withholds a figure that, set beside others "
            "(the urban and rural figures, or “all received data” beside “approved only”), would reveal"
            " a small one."
        ),
        _(
            "Figures of stocks (groups, sections, services, clubs, mentors and centres operating, "
            "mediators trained, measures due and money since the programme began) are each region’s "
            "latest approved quarter, the Republic’s the sum of the regions’; the others are added up "
            "over the quarters."
        ),
        _(
            "A range such as “23–43” or “≥ 5” stands for a hidden sum of quarters: it is what the "
            "quarters’ published figures say of it, and no more."
        ),
    ]


def pdf(content: Content) -> bytes:
    with translation.override(content.language):
        notes = _reading_notes()
    return render_pdf(
        "monitoring/print/summary.html", {"c": content, "notes": notes}, language=content.language
    )


def docx(content: Content) -> bytes:
    from docx import Document
    from docx.shared import Mm, Pt

    from tatulyq.documents.rendering import docx_bytes

    with translation.override(content.language):
        document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(25), Mm(15)
        document.styles["Normal"].font.name = "Times New Roman"
        document.styles["Normal"].font.size = Pt(11)
        document.add_heading(_("Results of the programme: national summary"), level=0)
        document.add_paragraph(
            _("As of %(date)s. Approved data of %(count)s quarters; data version %(version)s.")
            % {
                "date": content.as_of.strftime("%d.%m.%Y"),
                "count": len(content.periods),
                "version": content.data_version,
            }
        )
        for note in _reading_notes():
            document.add_paragraph(note).runs[0].italic = True
        document.add_heading(_("National overview"), level=1)
        _docx_lines(document, content.overview)
        document.add_paragraph(_completeness_text(content.completeness))
        if not content.grants_available:
            document.add_paragraph(_grants_absent())
        for block in content.projects:
            document.add_heading(f"{block['project'].number}. {block['project'].name}", level=1)
            for part in block["regions"]:
                document.add_heading(part.region, level=2)
                facts = document.add_table(rows=0, cols=2)
                facts.style = "Table Grid"
                for label, value in _facts(part, content):
                    cells = facts.add_row().cells
                    cells[0].text, cells[1].text = label, value
                _docx_lines(document, part.lines)
                if part.narrative:
                    document.add_paragraph(part.narrative)
        return docx_bytes(document)


def _docx_lines(document, lines) -> None:
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, (_("Indicator"), _("Value"), _("Target"), _("Of target")), strict=True
    ):
        cell.text = text
    for line in lines:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = line.indicator.name, line.figure.text
        cells[2].text, cells[3].text = line.target, line.share


def _completeness_text(c: selectors.Completeness) -> str:
    return _(
        "Reporting: %(received)s of %(expected)s reports received (%(completeness)s%%), "
        "%(timely)s on time (%(timeliness)s%%), %(objective)s%% of required values filled."
    ) % {
        "received": c.received,
        "expected": c.expected,
        "completeness": c.completeness or 0,
        "timely": c.timely,
        "timeliness": c.timeliness or 0,
        "objective": c.objective or 0,
    }


def _grants_absent() -> str:
    return _(
        "State social order and grants: no figures. The grants module is not installed on this "
        "platform yet, so budgets planned, contracted, paid and spent, NGOs funded and the reach "
        "reported by grantees cannot be shown."
    )


def _facts(part: RegionPart, content: Content) -> list[tuple[str, str]]:
    facts = [
        (_("Implementation status and stage"), part.stage),
        (_("Responsible specialist"), part.specialist),
        (_("Measures done"), part.measures),
    ]
    if content.grants_available:
        facts += list(part.grants) + [(_("Reach"), part.reach)]
    else:
        facts.append(
            (_("State social order and grants"), _("not available: the grants module is not installed"))
        )
    facts.append((_("Completeness of reporting"), _completeness_text(part.completeness)))
    return facts


def xlsx(content: Content) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(content.language):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("National overview")[:31]
        sheet.append([_("Results of the programme: national summary"), content.as_of, content.data_version])
        sheet.append([_("Indicator"), _("Value"), _("Target"), _("Of target")])
        sheet["B1"].number_format = "DD.MM.YYYY"
        for line in content.overview:
            _xlsx_row(sheet, [line.indicator.name], line)
        sheet.append([_completeness_text(content.completeness)])
        if not content.grants_available:
            sheet.append([_grants_absent()])
        regions = workbook.create_sheet(_("Projects and regions")[:31])
        regions.append([_("Project"), _("Region"), _("Indicator"), _("Value"), _("Target"), _("Of target")])
        facts = workbook.create_sheet(_("Status")[:31])
        facts.append([_("Project"), _("Region"), _("Item"), _("Value")])
        for block in content.projects:
            project = f"{block['project'].number}. {block['project'].short_name}"
            for part in block["regions"]:
                for line in part.lines:
                    _xlsx_row(regions, [project, part.region, line.indicator.name], line)
                for label, value in _facts(part, content) + [(_("Narrative"), part.narrative)]:
                    facts.append([project, part.region, label, value])
        for ws in workbook.worksheets:
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.column_dimensions["A"].width = 50
            ws.column_dimensions["B"].width = 30
            ws.column_dimensions["C"].width = 50
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _xlsx_row(sheet, labels: list, line: Line) -> None:
    """Shown figures, targets and shares as numbers a spreadsheet can add up; marks
    ("<5", "×", a range) as the text the other documents print."""
    value, target = line.figure.value, line.indicator.target
    share = value / target if value is not None and target else None
    sheet.append(
        [
            *labels,
            line.figure.text if value is None else value,
            line.target if target is None else target,
            line.share if share is None else share,
        ]
    )
    row = sheet[sheet.max_row]
    value_cell, target_cell, share_cell = row[len(labels) : len(labels) + 3]
    integral = "#,##0" if value is None or value == value.to_integral_value() else "#,##0.0"
    if value is not None:
        value_cell.number_format = integral
    if target is not None:
        target_cell.number_format = integral
    if share is not None:
        share_cell.number_format = "0%"


# ---------------------------------------------------------------- requests and files


def filename(export: SummaryExport, fmt: str) -> str:
    return f"tatulyq-summary-{export.as_of:%Y-%m-%d}-{export.language}-v{export.data_version}.{fmt}"


def request_summary(*, membership, as_of: datetime.date, language: str) -> SummaryExport:
    """Queue the summary; the task fills in the files and the progress."""
    from .tasks import generate_summary

    first = Period.objects.order_by("starts_on").values_list("starts_on", flat=True).first()
    if first is None or as_of < first:
        raise ValidationError(
            {
                "as_of": _("No reporting quarter had begun by this date; the first began on %(date)s.")
                % {"date": f"{first:%d.%m.%Y}" if first else "—"}
            }
        )
    export = SummaryExport.objects.create(as_of=as_of, language=language, requested_by=membership)
    record(action=AuditAction.CREATE, target=export, details={"as_of": str(as_of), "language": language})
    generate_summary.enqueue(export.pk)
    return export


def generate(export_id: int) -> SummaryExport:
    export = SummaryExport.objects.select_related("requested_by__user").get(pk=export_id)
    started = time.perf_counter()

    def progress(percent: int) -> None:
        SummaryExport.objects.filter(pk=export_id).update(progress=percent)

    SummaryExport.objects.filter(pk=export_id).update(status=SummaryExport.Status.RUNNING, progress=5)
    try:
        content = build(as_of=export.as_of, language=export.language, progress=progress)
        export.data_version = content.data_version
        export.pdf.save(filename(export, "pdf"), ContentFile(pdf(content)), save=False)
        progress(80)
        export.docx.save(filename(export, "docx"), ContentFile(docx(content)), save=False)
        progress(90)
        export.xlsx.save(filename(export, "xlsx"), ContentFile(xlsx(content)), save=False)
    except Exception as error:
        SummaryExport.objects.filter(pk=export_id).update(
            status=SummaryExport.Status.FAILED, error=str(error)[:2000]
        )
        raise
    export.status, export.progress = SummaryExport.Status.DONE, 100
    export.finished_at, export.seconds = timezone.now(), round(time.perf_counter() - started, 2)
    export.save(
        update_fields=["status", "progress", "finished_at", "seconds", "data_version", "pdf", "docx", "xlsx"]
    )
    record(
        action=AuditAction.EXPORT,
        target=export,
        user=export.requested_by.user,
        membership=export.requested_by,
        details={"what": "stage3_summary", "data_version": export.data_version},
    )
    return export


def record_download(export: SummaryExport, fmt: str) -> None:
    record(action=AuditAction.EXPORT, target=export, details={"format": fmt, "what": "stage3_summary"})
