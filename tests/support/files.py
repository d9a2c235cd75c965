"""Real files built by the tests: XLSX workbooks and CSV texts in the flat template."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from openpyxl import Workbook, load_workbook


def annex1_rows() -> list[list]:
    """The fixture's rows (header first) as plain values, for tests to alter."""
    sheet = load_workbook(settings.ANNEX1_FIXTURE).active
    return [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]


def xlsx_bytes(
    rows: list[list],
    *,
    title: str = "任务清单",
    extra_sheets: dict[str, list[list]] | None = None,
    first: dict[str, list[list]] | None = None,
) -> bytes:
    """A workbook with ``rows`` on a sheet called ``title``; ``first`` sheets come before it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, sheet_rows in (first or {}).items():
        sheet = workbook.create_sheet(name)
        for row in sheet_rows:
            sheet.append(row)
    sheet = workbook.create_sheet(title)
    for row in rows:
        sheet.append(row)
    for name, sheet_rows in (extra_sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in sheet_rows:
            extra.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], *, encoding: str = "gb18030") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)
