"""Regenerate ``fixtures/annex1.xlsx`` from the plan text: ``python -m tests.support.build_annex1_fixture``.

The fixture is the flat template, one row per measure, every text verbatim from
附件1 (unit cells with their line breaks collapsed). ``tests/test_annex1_fixture.py``
checks every cell of the committed file against the plan text.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tests.support.plan_text import collapse_unit_cell, read_rows

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "annex1.xlsx"
HEADERS = ["序号", "板块", "领域", "重点任务", "关键举措", "牵头单位", "责任单位/地区"]


def build() -> bytes:
    phase_headers, rows = read_rows()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务清单"
    sheet.append(HEADERS + phase_headers[4:])
    for row in rows:
        sheet.append(
            [
                row.task_number,
                row.part,
                row.sector,
                row.task_title,
                row.measure,
                collapse_unit_cell(row.lead),
                collapse_unit_cell(row.support),
                row.phase1,
                row.phase2,
            ]
        )
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHI", [6, 22, 22, 26, 60, 16, 30, 50, 50], strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    FIXTURE.write_bytes(build())
    print(f"wrote {FIXTURE}")
