"""The flat template: one row per measure.

``序号 | 板块 | 领域 | 重点任务 | 关键举措 | 牵头单位 | 责任单位/地区 | <phase columns>``;
序号 is repeated on each row of a multi-measure task.
"""

from __future__ import annotations

import re

from tasks_app.tasklist.data import MeasureData, TaskData, TaskList
from tasks_app.tasklist.headers import Header
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


def parse_flat(
    header: Header, directory: UnitDirectory, *, create_units: bool = False, progress: Progress | None = None
) -> tuple[TaskList, list[Problem]]:
    grid = header.grid
    problems: list[Problem] = []
    phases = [phase for _, phase in header.phases]
    tasks: list[TaskData] = []
    first_row_of: dict[int, int] = {}
    previous_part = previous_sector = ""

    for r in range(header.row + 1, len(grid.rows)):
        report_progress(progress, header, r)
        if not any(value.strip() for value in grid.rows[r]):
            continue
        cells = RowCells(header, r, problems)
        number = _read_number(cells)
        prefix_number, title = split_task_cell(cells.text("task"))
        if number is not None and prefix_number is not None and prefix_number != number:
            cells.error("task", f"重点任务写着第 {prefix_number} 项，与序号 {number} 不一致。")
        if not title:
            cells.error("task", "重点任务为空。")
        part = cells.text("part") or previous_part or ("" if "part" in header.columns else UNGROUPED_PART)
        sector = cells.text("sector") or previous_sector or ("" if "sector" in header.columns else UNGROUPED_SECTOR)
        if not part:
            cells.error("part", "板块为空。")
        if not sector:
            cells.error("sector", "领域为空。")
        previous_part, previous_sector = part, sector

        measure_text = cells.text("measure")
        if not measure_text:
            cells.error("measure", "关键举措为空。")
        lead_text, lead = read_units(cells, "lead", directory, create_units)
        if not lead_text:
            cells.error("lead", "牵头单位为空：每项举措都要写明牵头单位。")
        support_text, support = read_units(cells, "support", directory, create_units)
        targets = [cells.at(column) for column, _ in header.phases]
        if number is None:
            continue

        current = tasks[-1] if tasks else None
        if current is not None and current.number == number:
            if title != current.title:
                cells.error(
                    "number",
                    f"序号 {number} 重复：本行的重点任务“{title[:30]}”与第 {first_row_of[number] + 1} 行"
                    f"“{current.title[:30]}”不同。",
                )
                continue
            task = current
        elif number in first_row_of:
            cells.error("number", f"序号 {number} 重复：第 {first_row_of[number] + 1} 行已有第 {number} 项任务。")
            continue
        else:
            task = TaskData(number, title, part, sector, [], source=cells.ref)
            tasks.append(task)
            first_row_of[number] = r
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
    if not tasks and not any(p.is_error for p in problems):
        problems.append(grid.problem("表头下没有任何任务行。", row=header.row))
    return TaskList(phases=phases, tasks=tasks), problems


def _read_number(cells: RowCells) -> int | None:
    text = cells.text("number")
    if not text:
        cells.error("number", "序号为空。")
        return None
    if not re.fullmatch(r"\d+", text) or int(text) < 1:
        cells.error("number", f"序号“{text}”不是正整数。")
        return None
    return int(text)
