"""Find the header row of a task list table and what each column holds.

The admin never picks a parser: the layout is told from the headers. A table
with a 序号 column is the flat template (one row per measure); a table without
it, whose task numbers sit inside the 重点任务 cells, is the annex as distributed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks_app.tasklist.data import PhaseColumn
from tasks_app.tasklist.sources import Grid

HEADER_SEARCH_ROWS = 15

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "任务序号"),
    "part": ("板块", "部分"),
    "sector": ("领域", "类别"),
    "task": ("重点任务", "主要任务", "任务"),
    "measure": ("关键举措", "主要举措", "具体举措", "举措"),
    "lead": ("牵头单位", "牵头部门"),
    "support": ("责任单位/地区", "责任单位", "责任单位（地区）", "责任部门", "配合单位"),
}
FIELD_LABELS = {
    "number": "序号",
    "part": "板块",
    "sector": "领域",
    "task": "重点任务",
    "measure": "关键举措",
    "lead": "牵头单位",
    "support": "责任单位/地区",
}
FLAT_COLUMNS = ("number", "part", "sector", "task", "measure", "lead", "support")
REQUIRED_FLAT = ("number", "task", "measure", "lead", "support")
REQUIRED_DISTRIBUTED = ("task", "measure", "lead", "support")


def normalise_header(text: str) -> str:
    return re.sub(r"\s+", "", text or "").replace("／", "/").replace("(", "（").replace(")", "）")


_ALIAS_TO_FIELD = {normalise_header(alias): name for name, aliases in FIELD_ALIASES.items() for alias in aliases}


@dataclass
class Header:
    grid: Grid
    row: int  # 0-based index of the header row
    columns: dict[str, int]  # field → 0-based column
    phases: list[tuple[int, PhaseColumn]]  # (column, phase)

    @property
    def layout(self) -> str:
        return "flat" if "number" in self.columns else "distributed"

    @property
    def missing(self) -> list[str]:
        required = REQUIRED_FLAT if self.layout == "flat" else REQUIRED_DISTRIBUTED
        return [name for name in required if name not in self.columns]

    @property
    def score(self) -> int:
        return len(self.columns) + len(self.phases)


def read_header_row(grid: Grid, row: int) -> Header:
    columns: dict[str, int] = {}
    phases: list[tuple[int, PhaseColumn]] = []
    for column, text in enumerate(grid.rows[row]):
        if grid.is_merged_continuation(row, column):
            continue
        name = _ALIAS_TO_FIELD.get(normalise_header(text))
        if name and name not in columns:
            columns[name] = column
            continue
        phase = PhaseColumn.parse(len(phases) + 1, text.strip())
        if phase:
            phases.append((column, phase))
    return Header(grid, row, columns, phases)


def find_header(grid: Grid) -> Header | None:
    """The most header-like row near the top of the grid, if it names at least two fields."""
    best: Header | None = None
    for row in range(min(HEADER_SEARCH_ROWS, len(grid.rows))):
        header = read_header_row(grid, row)
        if best is None or header.score > best.score:
            best = header
    if best is None or len(best.columns) < 2:
        return None
    return best
