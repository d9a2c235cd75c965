"""Write a task list as the annex is distributed: a print-ready XLSX table.

``附件1`` and a title above the header ``重点任务 | 关键举措 | 牵头单位 |
责任单位/地区 | <phases>``; part and sector headings as rows merged across the
table; ``1.推动…`` in a 重点任务 cell merged down over the task's measures; unit
cells merged down where consecutive measures of a task share them (task 27).
A4 landscape, one page wide, the header repeated on every printed page.

Unit cells are written as the plan wrote them (``市自然资源局、林草局``) when
that still reads back as the same units, else as canonical names, so reading
the export back is always a no-op.
"""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.properties import PageSetupProperties

from tasks_app.tasklist.data import MeasureData, TaskList
from tasks_app.tasklist.export import UNIT_SEPARATOR, set_text
from tasks_app.tasklist.rows import UNGROUPED_PART, UNGROUPED_SECTOR
from tasks_app.unit_names import UnitDirectory

ANNEX_HEADERS = ["重点任务", "关键举措", "牵头单位", "责任单位/地区"]
ANNEX_WIDTHS = [22, 48, 14, 24]
PHASE_WIDTH = 44
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
LINE_HEIGHT_PT = 14.5
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def unit_cell(written: str, names: list[str], directory: UnitDirectory | None) -> str:
    """The unit cell as written when it still reads as ``names``; canonical names otherwise."""
    if written and directory is not None:
        read = directory.resolve(written)
        if not read.unknown and read.names == names:
            return written
    return UNIT_SEPARATOR.join(names)


def _display_width(text: str) -> int:
    # GB18030 spends two bytes on a Chinese character and one on ASCII: the width in half-width
    # characters, computed in C (a per-character unicodedata lookup took a second per 5,000 measures).
    return len(text.encode("gb18030", errors="replace"))


def _lines(text: str, width: float) -> int:
    # A column of width w holds about w half-width characters; wrapped CJK text takes two each.
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(_display_width(line) / usable)) for line in str(text).split("\n"))


def _styles() -> dict[str, NamedStyle]:
    # Named styles: one assignment per cell; setting font, alignment and border one by one
    # costs openpyxl a hash of each style object per cell (13 s for 5,000 measures).
    wrap = Alignment(wrap_text=True, vertical="top")
    return {
        "body": NamedStyle("附件正文", font=Font(name=BODY_FONT, size=11), alignment=wrap, border=BORDER),
        "header": NamedStyle(
            "附件表头",
            font=Font(name=HEADING_FONT, size=12, bold=True),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=BORDER,
        ),
        "part": NamedStyle(
            "附件板块",
            font=Font(name=HEADING_FONT, size=12),
            alignment=wrap,
            border=BORDER,
            fill=PatternFill("solid", fgColor="F2F2F2"),
        ),
        "sector": NamedStyle("附件领域", font=Font(name=BODY_FONT, size=12, bold=True), alignment=wrap, border=BORDER),
    }


class _Sheet:
    def __init__(self, sheet, columns: int, widths: list[float]):
        self.sheet = sheet
        self.columns = columns
        self.widths = widths
        self.row = 0
        self.styles = _styles()
        for style in self.styles.values():
            sheet.parent.add_named_style(style)

    def write_row(self, values: list, *, style: str = "body") -> int:
        self.row += 1
        name = self.styles[style].name
        for column, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=self.row, column=column)
            cell.style = name  # first: a named style resets quotePrefix, which set_text may set
            if value not in (None, ""):
                set_text(cell, value)
        # Excel does not grow a row to fit wrapped text on its own: estimate the height.
        lines = max((_lines(v, w) for v, w in zip(values, self.widths, strict=False) if v), default=1)
        self.sheet.row_dimensions[self.row].height = lines * LINE_HEIGHT_PT + 6
        return self.row

    def heading(self, text: str, style: str) -> None:
        row = self.write_row([text] + [""] * (self.columns - 1), style=style)
        self.merge(row, 1, row, self.columns)
        self.sheet.row_dimensions[row].height = _lines(text, sum(self.widths)) * LINE_HEIGHT_PT + 8

    def merge(self, top: int, left: int, bottom: int, right: int) -> None:
        """Like ``merge_cells``, without its check against every range merged so far (quadratic:
        15 s for 5,000 measures): the ranges made here never overlap, and every cell of a range
        already has its value (only the top-left one) and its style."""
        coord = f"{get_column_letter(left)}{top}:{get_column_letter(right)}{bottom}"
        self.sheet.merged_cells.ranges.add(MergedCellRange(self.sheet, coord))

    def merge_down(self, column: int, top: int, bottom: int) -> None:
        if bottom > top:
            self.merge(top, column, bottom, column)


def _same_units(a: MeasureData, b: MeasureData, role: str) -> bool:
    return getattr(a, role) == getattr(b, role) and getattr(a, f"{role}_text") == getattr(b, f"{role}_text")


def write_distributed_xlsx(
    tasklist: TaskList, *, title: str, directory: UnitDirectory | None = None, sheet_title: str = "附件1"
) -> bytes:
    """The list as the annex table; ``directory`` lets unit cells keep their original wording."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    headers = ANNEX_HEADERS + [p.header for p in tasklist.phases]
    widths = ANNEX_WIDTHS + [PHASE_WIDTH] * len(tasklist.phases)
    out = _Sheet(sheet, len(headers), widths)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    sheet.cell(row=1, column=1, value="附件1").font = Font(name=HEADING_FONT, size=14)
    set_text(sheet.cell(row=2, column=1), title)
    sheet.cell(row=2, column=1).font = Font(name=TITLE_FONT, size=18)
    sheet.cell(row=2, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    out.merge(2, 1, 2, len(headers))
    # 18-point characters are about 1.6 times as wide as the 11-point the widths are counted in.
    sheet.row_dimensions[2].height = _lines(title, sum(widths) / 1.6) * 24 + 10
    out.row = 2
    header_row = out.write_row(headers, style="header")

    part = sector = None
    for task in tasklist.tasks:
        if task.part != part:
            part, sector = task.part, None
            if part != UNGROUPED_PART:
                out.heading(part, "part")
        if task.sector != sector:
            sector = task.sector
            if sector != UNGROUPED_SECTOR:
                out.heading(sector, "sector")
        if not task.measures:
            continue  # cannot happen after an import: every task read from a file has a measure
        rows = []
        for index, measure in enumerate(task.measures):
            previous = task.measures[index - 1] if index else None
            targets = list(measure.targets) + [""] * (len(tasklist.phases) - len(measure.targets))
            values: list = [
                "" if previous else f"{task.number}.{task.title}",
                measure.text,
                ""
                if previous and _same_units(previous, measure, "lead")
                else unit_cell(measure.lead_text, measure.lead, directory),
                ""
                if previous and _same_units(previous, measure, "support")
                else unit_cell(measure.support_text, measure.support, directory),
                *targets[: len(tasklist.phases)],
            ]
            rows.append(out.write_row(values))
        out.merge_down(1, rows[0], rows[-1])
        for column, role in ((3, "lead"), (4, "support")):
            top = rows[0]
            for index in range(1, len(rows)):
                if not _same_units(task.measures[index - 1], task.measures[index], role):
                    out.merge_down(column, top, rows[index] - 1)
                    top = rows[index]
            out.merge_down(column, top, rows[-1])

    _print_setup(sheet, header_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _print_setup(sheet, header_row: int) -> None:
    """A4 landscape, one page wide, header repeated on every page, page numbers in the footer."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
