"""Spreadsheets for the finance department: proposals by year with totals per project and
per district, the national table, the budget execution."""

from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.styles import Font

from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record
from tatulyq.directives.exports import _fit, _sheet, _workbook_response

MONEY_FORMAT = "#,##0.00"


def _money_columns(ws, columns: list[int], first_row: int = 2) -> None:
    for row in ws.iter_rows(min_row=first_row):
        for index in columns:
            row[index - 1].number_format = MONEY_FORMAT


def _bold_row(ws) -> None:
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)


def finance_xlsx(rows, under):
    """A row per proposal and year; after each district its total per project and in all;
    at the end the totals per project and the grand total."""
    workbook, ws = _sheet(
        _("Proposals"),
        [
            _("District"),
            _("Organisation"),
            _("Proposal"),
            _("Project"),
            _("Year"),
            _("Budget lines"),
            _("Amount, ₸"),
        ],
    )
    by_district: dict[str, dict[str, Decimal]] = {}
    by_project: dict[str, Decimal] = {}
    current = None

    def close_district(name):
        for project, amount in sorted(by_district[name].items()):
            ws.append([name, "", "", project, "", "", amount])
            _bold_row(ws)
        ws.append([name, "", "", _("Total for the district"), "", "", sum(by_district[name].values())])
        _bold_row(ws)

    for row in rows:
        if current is not None and row.district != current:
            close_district(current)
        current = row.district
        ws.append(
            [row.district, row.organisation, row.proposal.title, row.project, row.year, row.lines, row.amount]
        )
        district = by_district.setdefault(row.district, {})
        district[row.project] = district.get(row.project, Decimal(0)) + row.amount
        by_project[row.project] = by_project.get(row.project, Decimal(0)) + row.amount
    if current is not None:
        close_district(current)
    for project, amount in sorted(by_project.items()):
        ws.append([_("All districts"), "", "", project, "", "", amount])
        _bold_row(ws)
    ws.append([_("Grand total"), "", "", "", "", "", sum(by_project.values(), start=Decimal(0))])
    _bold_row(ws)
    _money_columns(ws, [7])
    _fit(ws, [40, 50, 50, 40, 8, 10, 18])
    record(
        action=AuditAction.EXPORT,
        target=under,
        details={"format": "xlsx", "what": "proposals", "rows": len(rows)},
    )
    return _workbook_response(workbook, "state-social-order-proposals.xlsx")


def national_xlsx(table):
    header = [
        _("No."),
        _("Project"),
        _("Region"),
        _("Proposals"),
        *[str(y) for y in table.years],
        _("Total, ₸"),
    ]
    workbook, ws = _sheet(_("Budget by project and region"), header)
    for row in table.rows:
        ws.append(
            [
                row.project.number if row.project else "",
                row.project.short_name if row.project else _("Other"),
                row.label,
                row.proposals,
                *[row.by_year.get(y, 0) for y in table.years],
                row.total,
            ]
        )
    for row in table.project_totals:
        ws.append(
            [
                "",
                row.project.short_name if row.project else _("Other"),
                _("All regions"),
                row.proposals,
                *[row.by_year.get(y, 0) for y in table.years],
                row.total,
            ]
        )
        _bold_row(ws)
    ws.append(
        [
            "",
            _("Grand total"),
            "",
            table.grand.proposals,
            *[table.grand.by_year.get(y, 0) for y in table.years],
            table.grand.total,
        ]
    )
    _bold_row(ws)
    _money_columns(ws, list(range(5, 6 + len(table.years))))
    _fit(ws, [5, 50, 30, 10, *[16] * len(table.years), 18])
    record(action=AuditAction.EXPORT, details={"format": "xlsx", "what": "national budget table"})
    return _workbook_response(workbook, "national-budget-table.xlsx")


def execution_xlsx(rows):
    workbook, ws = _sheet(
        _("Budget execution"),
        [
            _("Region"),
            _("Project"),
            _("Year"),
            _("Planned, ₸"),
            _("Contracted, ₸"),
            _("Paid, ₸"),
            _("Reported spent, ₸"),
        ],
    )
    for row in rows:
        ws.append(
            [
                row.region.name,
                row.project.short_name if row.project else _("Other"),
                row.year,
                row.planned,
                row.contracted,
                row.paid,
                row.spent,
            ]
        )
    _money_columns(ws, [4, 5, 6, 7])
    _fit(ws, [30, 50, 8, 18, 18, 18, 18])
    record(action=AuditAction.EXPORT, details={"format": "xlsx", "what": "budget execution"})
    return _workbook_response(workbook, "budget-execution.xlsx")
