"""Reading an uploaded table (CSV or XLSX) into rows of text keyed by column name."""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _


class TableError(Exception):
    """The file as a whole cannot be read (wrong type, no header, bad encoding)."""


@dataclass
class Table:
    columns: list[str]
    # Spreadsheets drop leading zeros of numbers typed as numbers (BIN, KATO).
    from_spreadsheet: bool = False
    # (row number as the user sees it in the file, {column: text})
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _normalise(header: object) -> str:
    return str(header or "").strip().lower().replace(" ", "_")


def read_table(data: bytes, filename: str) -> Table:
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(data)
    if suffix in {".csv", ".txt"}:
        return _read_csv(data)
    raise TableError(_("Upload a .csv or .xlsx file."))


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(_("Save the CSV file in UTF-8 encoding.")) from None
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise TableError(_("The file is empty: the first row must name the columns."))
    columns = [_normalise(h) for h in header]
    table = Table(columns=columns)
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        table.rows.append(
            (number, {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(columns)})
        )
    return table


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise TableError(_("This file cannot be read as an Excel workbook (.xlsx).")) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header or not any(header):
        raise TableError(_("The file is empty: the first row must name the columns."))
    columns = [_normalise(h) for h in header]
    table = Table(columns=columns, from_spreadsheet=True)
    for number, cells in enumerate(rows, start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        values = {}
        for i, col in enumerate(columns):
            cell = cells[i] if i < len(cells) else None
            if isinstance(cell, float) and cell.is_integer():
                cell = int(cell)
            values[col] = "" if cell is None else str(cell).strip()
        table.rows.append((number, values))
    workbook.close()
    return table
