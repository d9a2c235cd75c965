"""The annex as distributed: the 附件1 table itself, as the government circulates it.

``重点任务 | 关键举措 | 牵头单位 | 责任单位/地区 | <phase columns>``, under a title row.
Nothing says which part or sector a task belongs to except the heading rows
merged across the table (``一、推进五业协同…``, ``（一）煤炭产业：…``); the task number
is inside the 重点任务 cell (``1.推动…。``); a task with several measures has its
重点任务 cell merged down over their rows; a measure whose unit cells are merged
with the row above (task 27) has the same units as that row.

The result is the same ``TaskList`` the flat template gives, built with the same
row helpers, so everything after reading (diff, apply, export) is shared.
"""

from __future__ import annotations

import re

from tasks_app.tasklist.data import MeasureData, TaskData, TaskList
from tasks_app.tasklist.headers import Header, normalise_header
from tasks_app.tasklist.problems import Problem
from tasks_app.tasklist.rows import (
    UNGROUPED_PART,
    UNGROUPED_SECTOR,
    Progress,
    RowCells,
    read_units,
    report_progress,
    split_task_cell,
)
from tasks_app.unit_names import UnitDirectory

CHINESE_NUMERAL = "一二三四五六七八九十百"
PART_HEADING = re.compile(rf"^[{CHINESE_NUMERAL}]+\s*[、.．]")
SECTOR_HEADING = re.compile(rf"^[（(]\s*[{CHINESE_NUMERAL}]+\s*[）)]")


def heading_kind(text: str) -> str | None:
    """``part`` for 一、…, ``sector`` for （一）…, None for anything else."""
    if SECTOR_HEADING.match(text):
        return "sector"
    if PART_HEADING.match(text):
        return "part"
    return None


def _heading_text(header: Header, row: int) -> str | None:
    """The text of a heading row: one cell merged across the table, or alone in its row
    and shaped like a heading (a copy of the table without merged cells)."""
    grid = header.grid
    filled = [(c, value.strip()) for c, value in enumerate(grid.rows[row]) if value.strip()]
    if len(filled) != 1:
        return None
    column, text = filled[0]
    spans = sum(1 for c in range(len(grid.rows[row])) if grid.merged_into.get((row, c)) == (row, column))
    table_width = 1 + max([*header.columns.values(), *(c for c, _ in header.phases)])
    if spans >= max(2, table_width // 2) or heading_kind(text):
        return text
    return None


class _DistributedReader:
    """Walks the rows once, keeping the part, sector and task that the rows above opened."""

    def __init__(self, header: Header, directory: UnitDirectory, create_units: bool):
        self.header = header
        self.grid = header.grid
        self.directory = directory
        self.create_units = create_units
        self.problems: list[Problem] = []
        self.tasks: list[TaskData] = []
        self.first_row_of: dict[int, int] = {}
        self.part = self.sector = ""
        self.task: TaskData | None = None
        # After a task row that could not be read, its continuation rows are not errors of their own.
        self.task_failed = False
        # A unit cell merged over several measures is read (and its problems reported) once.
        self.units_of_cell: dict[tuple[int, int], tuple[str, list[str]]] = {}
        self.header_texts = [normalise_header(v) for v in self.grid.rows[header.row]]

    def read(self, progress: Progress | None) -> tuple[TaskList, list[Problem]]:
        for row in range(self.header.row + 1, len(self.grid.rows)):
            report_progress(progress, self.header, row)
            values = self.grid.rows[row]
            if not any(value.strip() for value in values):
                continue
            if [normalise_header(v) for v in values] == self.header_texts:
                continue  # the header repeated, e.g. on each printed page
            heading = _heading_text(self.header, row)
            if heading is not None:
                self._heading(row, heading)
                continue
            self._measure_row(row)
        if not self.tasks and not any(p.is_error for p in self.problems):
            self.problems.append(self.grid.problem("表头下没有任何任务行。", row=self.header.row))
        phases = [phase for _, phase in self.header.phases]
        return TaskList(phases=phases, tasks=self.tasks), self.problems

    def _heading(self, row: int, text: str) -> None:
        kind = heading_kind(text)
        self.task, self.task_failed = None, False  # a merged task cell never reaches across a heading
        if kind is None:
            # An unnumbered heading is rare in an annex; its level is a guess, so say so.
            kind = "sector" if self.part else "part"
            label = "领域" if kind == "sector" else "板块"
            self.problems.append(
                self.grid.problem(
                    f"标题行“{text[:40]}”没有编号（“一、…”或“（一）…”），按{label}标题读取，请核对。",
                    row=row,
                    severity="warning",
                )
            )
        if kind == "part":
            self.part, self.sector = text, ""
        else:
            self.sector = text

    def _measure_row(self, row: int) -> None:
        cells = RowCells(self.header, row, self.problems, follow_merges=True)
        task = self._task_of(cells)
        measure_text = cells.text("measure")
        if not measure_text:
            cells.error("measure", "关键举措为空。")
        lead_text, lead = self._units(cells, "lead")
        if not lead_text:
            cells.error("lead", "牵头单位为空：每项举措都要写明牵头单位（与上一行相同时请合并单元格）。")
        support_text, support = self._units(cells, "support")
        targets = [cells.at(column) for column, _ in self.header.phases]
        if task is None:
            return
        task.measures.append(
            MeasureData(
                position=len(task.measures) + 1,
                text=measure_text,
                lead=lead,
                support=support,
                targets=targets,
                lead_text=lead_text,
                support_text=support_text,
                source=cells.ref,
            )
        )

    def _task_of(self, cells: RowCells) -> TaskData | None:
        """The task this row is a measure of: the one above (merged or empty 重点任务 cell,
        or the same text again) or a new one."""
        text = cells.text("task")
        if not text or cells.is_merged_continuation("task"):
            if self.task is None and not self.task_failed:
                cells.error("task", "重点任务为空，且上方没有可延续的任务。")
            return self.task
        number, title = split_task_cell(text)
        if number is None:
            cells.error("task", f"重点任务“{title[:30]}”前没有序号（应写成“1.推动…”）。")
            self.task, self.task_failed = None, True
            return None
        if not title:
            cells.error("task", f"第 {number} 项重点任务只有序号，没有内容。")
        if self.task is not None and (number, title) == (self.task.number, self.task.title):
            return self.task
        if number in self.first_row_of:
            cells.error("task", f"序号 {number} 重复：第 {self.first_row_of[number] + 1} 行已有第 {number} 项任务。")
            self.task, self.task_failed = None, True
            return None
        self.task = TaskData(
            number,
            title,
            self.part or UNGROUPED_PART,
            self.sector or UNGROUPED_SECTOR,
            [],
            source=cells.ref,
        )
        self.tasks.append(self.task)
        self.task_failed = False
        self.first_row_of[number] = cells.row
        return self.task

    def _units(self, cells: RowCells, name: str) -> tuple[str, list[str]]:
        column = self.header.columns[name]
        origin = self.grid.merged_into.get((cells.row, column), (cells.row, column))
        if origin in self.units_of_cell:
            return self.units_of_cell[origin]
        result = read_units(cells, name, self.directory, self.create_units)
        self.units_of_cell[origin] = result
        return result


def parse_distributed(
    header: Header, directory: UnitDirectory, *, create_units: bool = False, progress: Progress | None = None
) -> tuple[TaskList, list[Problem]]:
    return _DistributedReader(header, directory, create_units).read(progress)
