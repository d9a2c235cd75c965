"""Write a task list back to a file in the flat template, with canonical unit names.

Exporting and importing the result changes nothing. Text that starts with
= + - @ is written so that no spreadsheet program runs it as a formula.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tasks_app.tasklist.data import TaskList
from tasks_app.tasklist.sources import FORMULA_STARTS

FLAT_HEADERS = ["序号", "板块", "领域", "重点任务", "关键举措", "牵头单位", "责任单位/地区"]
FLAT_WIDTHS = [6, 24, 24, 28, 60, 18, 30]
PHASE_WIDTH = 50
UNIT_SEPARATOR = "、"


def flat_rows(tasklist: TaskList) -> list[list[str | int]]:
    rows: list[list[str | int]] = [FLAT_HEADERS + [p.header for p in tasklist.phases]]
    for task in tasklist.tasks:
        for measure in task.measures:
            targets = list(measure.targets) + [""] * (len(tasklist.phases) - len(measure.targets))
            rows.append(
                [
                    task.number,
                    task.part,
                    task.sector,
                    task.title,
                    measure.text,
                    UNIT_SEPARATOR.join(measure.lead),
                    UNIT_SEPARATOR.join(measure.support),
                    *targets[: len(tasklist.phases)],
                ]
            )
    return rows


def set_text(cell, value) -> None:
    """Store ``value``; a string that looks like a formula is stored as plain text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def write_flat_xlsx(tasklist: TaskList, *, sheet_title: str = "任务清单") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(flat_rows(tasklist), start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            set_text(cell, value)
            cell.alignment = wrap
            if r == 1:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for c in range(1, sheet.max_column + 1):
        width = FLAT_WIDTHS[c - 1] if c <= len(FLAT_WIDTHS) else PHASE_WIDTH
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "1:1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_safe(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_flat_csv(tasklist: TaskList, *, encoding: str = "utf-8-sig") -> bytes:
    """CSV for Excel: UTF-8 with BOM by default; ``gb18030`` for older Chinese Excel."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in flat_rows(tasklist):
        writer.writerow([csv_safe(value) for value in row])
    return buffer.getvalue().encode(encoding)
