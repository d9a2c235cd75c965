"""What every layout parser does with one data row: read its cells by field,
pin problems to them, split the task cell, resolve the unit cells.

The flat template and the annex as distributed differ in how rows are grouped
(序号 column vs. heading rows and merged cells), not in how a cell is read, so
both parsers build their ``TaskList`` with these helpers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tasks_app.tasklist.data import RowRef
from tasks_app.tasklist.headers import FIELD_LABELS, Header
from tasks_app.tasklist.problems import Problem
from tasks_app.unit_names import UnitDirectory

TASK_NUMBER_PREFIX = re.compile(r"^\s*(\d+)\s*[.．、]\s*")
UNGROUPED_PART = "（未分板块）"
UNGROUPED_SECTOR = "（未分领域）"

# (stage, done, total): called while a long file is read, for progress bars. Only reading is
# counted (in rows); comparing and writing are reported with total 0.
Progress = Callable[[str, int, int], None]
PROGRESS_EVERY_ROWS = 200
STAGE_READ, STAGE_COMPARE, STAGE_WRITE = "读取", "比对", "写入"


def collapse_lines(text: str) -> str:
    """Unit cells: line breaks inside a cell are layout, not content."""
    return "".join(line.strip() for line in text.splitlines()).strip()


def split_task_cell(text: str) -> tuple[int | None, str]:
    """``1.推动煤炭资源稳定接续发展。`` → (1, ``推动煤炭资源稳定接续发展。``)."""
    match = TASK_NUMBER_PREFIX.match(text)
    if not match:
        return None, text.strip()
    return int(match.group(1)), text[match.end() :].strip()


class RowCells:
    """The cells of one data row, addressed by field, with problems pinned to them.

    With ``follow_merges`` a cell inside a merged range reads the text of the
    range's top-left cell: in the annex as distributed a task cell merged down
    over its measures, or a unit cell merged with the row above, means "the same".
    """

    def __init__(self, header: Header, row: int, problems: list[Problem], *, follow_merges: bool = False):
        self.header = header
        self.grid = header.grid
        self.row = row
        self.problems = problems
        self.follow_merges = follow_merges

    def _value(self, column: int) -> str:
        row = self.row
        if self.follow_merges:
            row, column = self.grid.merged_into.get((row, column), (row, column))
        return self.grid.cell(row, column).strip()

    def text(self, name: str) -> str:
        column = self.header.columns.get(name)
        return "" if column is None else self._value(column)

    def at(self, column: int) -> str:
        return self._value(column)

    def is_merged_continuation(self, name: str) -> bool:
        column = self.header.columns.get(name)
        return column is not None and self.grid.is_merged_continuation(self.row, column)

    def error(self, name: str, message: str, *, severity: str = "error") -> None:
        self.problems.append(
            self.grid.problem(
                message,
                row=self.row,
                column=self.header.columns.get(name),
                field=FIELD_LABELS.get(name, name),
                severity=severity,
            )
        )

    @property
    def ref(self) -> RowRef:
        return RowRef(self.grid.file_name, self.grid.sheet, self.row + 1)


def read_units(cells: RowCells, name: str, directory: UnitDirectory, create_units: bool) -> tuple[str, list[str]]:
    written = collapse_lines(cells.text(name))
    result = directory.resolve(written, create_missing=create_units)
    for unknown in result.unknown:
        cells.error(name, unknown.describe() + "。如确为新单位，请先在单位目录中添加，或勾选“自动新建未知单位”。")
    for unit in result.created:
        cells.error(
            name, f"新建单位“{unit.name}”（类别推测为{unit.get_kind_display()}，请管理员核对）。", severity="warning"
        )
    return written, result.names


def report_progress(progress: Progress | None, header: Header, row: int) -> None:
    """Tell ``progress`` how far reading has come, every few hundred rows."""
    if progress is None:
        return
    first, last = header.row + 1, len(header.grid.rows)
    done = row - first + 1
    if done % PROGRESS_EVERY_ROWS == 0 or row == last - 1:
        progress(STAGE_READ, done, last - first)
