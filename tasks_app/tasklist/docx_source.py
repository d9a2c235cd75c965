"""Tables of a Word document (.docx) as grids, merged cells included.

The annex usually travels inside the Word document of the plan, so its table
is read where it is. A Word table is not a rectangle of cells: a cell may span
columns (``w:gridSpan``) and continue the cell above (``w:vMerge``). Each row
is laid out on the table's grid so that a column index means the same thing in
every row, and merged cells are recorded in ``Grid.merged_into`` exactly as for
a workbook, so the layout parsers cannot tell the two apart.

The zip container has already been checked (size, ratio, entries) by
``sources.read_grids`` before this module opens it.
"""

from __future__ import annotations

import io

from tasks_app.tasklist.problems import Problem, TaskListError
from tasks_app.tasklist.sources import Grid, cell_text


def read_docx_tables(file_name: str, data: bytes) -> list[Grid]:
    """Every top-level table of the document, in order. Raises TaskListError on a damaged file."""
    from docx import Document
    from docx.table import _Cell

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx and lxml raise many kinds on a damaged document
        raise TaskListError([Problem(f"无法读取 Word 文件（{type(exc).__name__}: {exc}）。", file_name)]) from exc

    grids = []
    for index, table in enumerate(document.tables, start=1):
        rows: list[list[str]] = []
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        # column → origin of the vertical merge that is open in that column
        open_merges: dict[int, tuple[int, int]] = {}
        for r, tr in enumerate(table._tbl.tr_lst):
            values = [""] * tr.grid_before
            column = tr.grid_before
            for tc in tr.tc_lst:
                span = max(tc.grid_span, 1)
                vmerge = tc.vMerge
                if vmerge == "continue" and column in open_merges:
                    origin = open_merges[column]
                    text = ""
                else:
                    origin = (r, column)
                    text = cell_text(_Cell(tc, table).text)
                    if vmerge == "restart":
                        open_merges[column] = origin
                    else:
                        open_merges.pop(column, None)
                values.append(text)
                values.extend([""] * (span - 1))
                if span > 1 or vmerge is not None:
                    for offset in range(span):
                        merged[(r, column + offset)] = origin
                column += span
            rows.append(values)
        grids.append(Grid(file_name, f"第 {index} 个表格", rows, merged, kind="docx"))
    if not grids:
        raise TaskListError([Problem("Word 文件中没有表格：任务清单应是文件中的一个表格。", file_name)])
    return grids
