"""附件1 as the government distributes it, built from the plan text: an XLSX and a Word table.

``python -m tests.support.annex1_documents`` writes ``fixtures/annex1_distributed.xlsx``
and ``fixtures/annex1_distributed.docx``; the tests also build them in memory.

The layout is the annex itself, not the flat template: 附件1 and the title above
the header ``重点任务 | 关键举措 | 牵头单位 | 责任单位/地区 | 2026-2027年（筑基期） |
2028-2030年（提升期）``; part and sector headings as rows merged across the table;
the task number inside the 重点任务 cell; a task's cell merged down over its
measures; task 27's empty unit cells merged with the row above. Every text is the
plan text verbatim, line breaks included (unit cells keep theirs). This module is
written straight from ``plan_text.read_cells`` and shares no code with the
application's own export, so a test that reads these files checks the reader
against an independent writer.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.plan_text import CELLS_PER_ROW, read_cells

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
XLSX_FIXTURE = FIXTURES / "annex1_distributed.xlsx"
DOCX_FIXTURE = FIXTURES / "annex1_distributed.docx"
ANNEX_LABEL = "附件1"
TITLE = "《关于推进呼伦贝尔市“十五五”工业经济高质量发展实施方案》任务清单"
LEAD, SUPPORT = 2, 3  # 0-based columns of the unit cells in the annex table


@dataclass
class AnnexRow:
    """One row of the annex table: a heading (one text across) or six cells."""

    heading: str | None = None
    cells: list[str] = field(default_factory=list)
    # columns whose cell continues the cell above (merged), text left empty
    continues: set[int] = field(default_factory=set)


def annex_rows() -> tuple[list[str], list[AnnexRow]]:
    """The header and the rows of the annex table, headings and merges as in the original."""
    header, cells = read_cells()
    rows: list[AnnexRow] = []
    part = sector = task = ""
    for start in range(0, len(cells), CELLS_PER_ROW):
        raw_part, raw_sector, raw_task, measure, lead, support, phase1, phase2 = cells[start : start + CELLS_PER_ROW]
        if raw_part and raw_part != part:
            part, sector = raw_part, ""
            rows.append(AnnexRow(heading=part))
        if raw_sector and raw_sector != sector:
            sector = raw_sector
            rows.append(AnnexRow(heading=sector))
        row = AnnexRow(cells=[raw_task, measure, lead, support, phase1, phase2])
        if not raw_task or raw_task == task:
            row.cells[0] = ""
            row.continues.add(0)
            # Task 27: the second measure's unit cells are empty in the original: merged with the first's.
            row.continues.update(column for column in (LEAD, SUPPORT) if not row.cells[column])
        else:
            task = raw_task
        rows.append(row)
    return header, rows


def _merge_runs(rows: list[AnnexRow], first_row: int) -> list[tuple[int, int, int]]:
    """(column, top row, bottom row) of every vertical merge, rows numbered from ``first_row``."""
    runs = []
    open_runs: dict[int, int] = {}
    width = max((len(row.cells) for row in rows), default=6)
    for index, row in enumerate([*rows, AnnexRow(heading="")]):
        number = first_row + index
        for column in range(width):
            if row.heading is None and column in row.continues:
                continue
            top = open_runs.pop(column, None)
            if top is not None and number - 1 > top:
                runs.append((column, top, number - 1))
            if row.heading is None:
                open_runs[column] = number
    return runs


def build_xlsx(
    rows: list[AnnexRow] | None = None, *, header: list[str] | None = None, first_sheets: dict | None = None
) -> bytes:
    """The annex as a workbook; ``rows`` to build an altered copy, ``first_sheets`` (name → lines) go before it."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    plan_header, plan_rows = annex_rows()
    header = header or plan_header
    rows = plan_rows if rows is None else rows
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, lines in (first_sheets or {}).items():
        extra = workbook.create_sheet(name)
        for line in lines:
            extra.append([line])
    sheet = workbook.create_sheet("附件1")
    sheet.append([ANNEX_LABEL])
    sheet.append([TITLE])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header))
    sheet.append(header)
    first = 4
    for number, row in enumerate(rows, start=first):
        if row.heading is not None:
            sheet.append([row.heading])
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=len(header))
        else:
            sheet.append([value or None for value in row.cells])
    for column, top, bottom in _merge_runs(rows, first):
        sheet.merge_cells(start_row=top, start_column=column + 1, end_row=bottom, end_column=column + 1)
    wrap = Alignment(wrap_text=True, vertical="top")
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.alignment = wrap
    sheet["A2"].font = Font(bold=True, size=16)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_cell(cell, text: str) -> None:
    """Each line of the text as its own paragraph, as Word keeps them."""
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def build_docx(rows: list[AnnexRow] | None = None) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    header, plan_rows = annex_rows()
    rows = plan_rows if rows is None else rows
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    document.add_paragraph(ANNEX_LABEL)
    document.add_paragraph(TITLE)
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    # Texts first, row by row (table.cell() recomputes the whole grid on every call), then merges.
    cells = [tr.cells for tr in table.rows]
    for column, text in enumerate(header):
        _write_cell(cells[0][column], text)
    for number, row in enumerate(rows, start=1):
        for column, text in enumerate([row.heading] if row.heading is not None else row.cells):
            if text:
                _write_cell(cells[number][column], text)
    for number, row in enumerate(rows, start=1):
        if row.heading is not None:
            table.cell(number, 0).merge(table.cell(number, len(header) - 1))
    for column, top, bottom in _merge_runs(rows, 1):
        table.cell(top, column).merge(table.cell(bottom, column))
    document.add_paragraph("（本表为征求意见稿）")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def task_row(rows: list[AnnexRow], number: int) -> AnnexRow:
    """The (first) row of task ``number``, to alter in a test."""
    return next(row for row in rows if row.heading is None and row.cells[0].startswith(f"{number}."))


if __name__ == "__main__":
    XLSX_FIXTURE.write_bytes(build_xlsx())
    DOCX_FIXTURE.write_bytes(build_docx())
    print(f"wrote {XLSX_FIXTURE} and {DOCX_FIXTURE}")
