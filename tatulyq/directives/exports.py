"""Spreadsheets people take away: the control sheet and the specialists' table."""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tatulyq.audit.models import AuditAction
from tatulyq.audit.services import record

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _sheet(title: str, header: list[str]):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return workbook, sheet


def _fit(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def control_sheet_xlsx(request, sheet) -> HttpResponse:
    workbook, ws = _sheet(_("Control sheet"), [
        _("Organisation"), _("Type"), _("Status"), _("Deadline"), _("Answered"), _("Days late"),
        _("Forwarded"), _("Below: recipients"), _("Below: answered"), _("Below: overdue"),
    ])
    for row in sheet.rows:
        ws.append([
            row.organisation_name, row.level_name, row.status_label, row.deadline,
            row.answered_at.date() if row.answered_at else None, row.days_late,
            _("yes") if row.forwarded else _("no"), row.below_total, row.below_done,
            row.below_overdue,
        ])
    for cells in ws.iter_rows(min_row=2, min_col=4, max_col=5):
        for cell in cells:
            cell.number_format = "DD.MM.YYYY"
    _fit(ws, [60, 30, 24, 12, 12, 10, 10, 14, 14, 14])
    record(action=AuditAction.EXPORT, target=sheet.directive,
           details={"format": "xlsx", "what": "control_sheet", "rows": len(sheet.rows)})
    number = sheet.directive.outgoing_number or sheet.directive.pk
    return _workbook_response(workbook, f"control-sheet-{number}.xlsx".replace("/", "-"))


def specialists_xlsx(request, cards) -> HttpResponse:
    workbook, ws = _sheet(_("Responsible specialists"), [
        _("No."), _("Project"), _("Region"), _("Full name"), _("Position"), _("Phone"),
        _("E-mail"), _("Designated on"),
    ])
    for card in cards:
        current = card.current_specialists[0] if card.current_specialists else None
        ws.append([
            card.project.number, card.project.name, card.region.name,
            current.full_name if current else "", current.position if current else "",
            current.phone if current else "", current.email if current else "",
            current.designated_on if current else None,
        ])
    for (cell,) in ws.iter_rows(min_row=2, min_col=8, max_col=8):
        cell.number_format = "DD.MM.YYYY"
    _fit(ws, [5, 60, 30, 30, 40, 18, 28, 14])
    record(action=AuditAction.EXPORT, details={"format": "xlsx", "what": "specialists"})
    return _workbook_response(workbook, "responsible-specialists.xlsx")
