"""XLSX exports of the table pages (the 台账 offices keep): one sheet per table, as shown on the page.

Every cell goes through ``set_text``: text that starts with = + - @ is stored as text, so a unit's
progress that happens to start with "=" never runs as a formula in the office's Excel.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tasks_app.tasklist.export import set_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 60


@dataclass
class Table:
    title: str  # the sheet name: 31 characters at most, no []:*?/\
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    widths: list[int] | None = None
    note: str = ""  # a line above the headers: period, filters, date of export


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, "·")
    return title[:31]


def xlsx_bytes(tables: list[Table]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title))
        first = 1
        if table.note:
            set_text(sheet.cell(row=1, column=1), table.note)
            first = 2
        for c, header in enumerate(table.headers, start=1):
            cell = sheet.cell(row=first, column=c)
            set_text(cell, header)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for r, row in enumerate(table.rows, start=first + 1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c)
                set_text(cell, value)
                cell.alignment = wrap
        widths = table.widths or [min(MAX_WIDTH, max(8, len(h) * 2 + 2)) for h in table.headers]
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
        sheet.freeze_panes = sheet.cell(row=first + 1, column=1)
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.print_title_rows = f"{first}:{first}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(name: str, tables: list[Table]) -> HttpResponse:
    """A download named ``<name>_<YYYYMMDD>.xlsx``."""
    filename = f"{name}_{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(xlsx_bytes(tables), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
