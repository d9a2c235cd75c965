"""Read a task list file into a ``TaskList``, collecting every problem on the way.

Reading writes nothing. Units are resolved against a directory loaded once per
file; with ``create_units`` unknown names become pending units that are only
saved when the import is applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tasks_app.tasklist.data import TaskList
from tasks_app.tasklist.distributed import parse_distributed
from tasks_app.tasklist.flat import parse_flat
from tasks_app.tasklist.headers import FIELD_LABELS, Header, find_header
from tasks_app.tasklist.problems import Problem, TaskListError
from tasks_app.tasklist.rows import Progress
from tasks_app.tasklist.sources import check_cell_lengths, read_grids
from tasks_app.unit_names import UnitDirectory

LAYOUT_LABELS = {"flat": "平铺模板", "distributed": "附件原表格式"}


@dataclass
class ReadResult:
    file_name: str
    tasklist: TaskList | None
    problems: list[Problem] = field(default_factory=list)
    header: Header | None = None
    directory: UnitDirectory | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.tasklist is not None and not self.errors

    @property
    def sheet(self) -> str | None:
        return self.header.grid.sheet if self.header else None

    @property
    def layout(self) -> str | None:
        return self.header.layout if self.header else None

    @property
    def layout_label(self) -> str:
        return LAYOUT_LABELS.get(self.layout or "", "")

    def raise_for_errors(self) -> None:
        if not self.ok:
            raise TaskListError(self.errors or [Problem("文件中没有可导入的任务清单。", self.file_name)])


def read_tasklist(
    file_name: str,
    data: bytes,
    *,
    directory: UnitDirectory | None = None,
    create_units: bool = False,
    progress: Progress | None = None,
) -> ReadResult:
    """Read ``data`` (any accepted format and layout). Writes nothing; every problem is collected."""
    directory = directory or UnitDirectory.load()
    try:
        grids = read_grids(file_name, data)
    except TaskListError as exc:
        return ReadResult(file_name, None, exc.problems, directory=directory)

    headers = [header for grid in grids if (header := find_header(grid)) is not None]
    if not headers:
        looked = "、".join(f"“{g.sheet}”" for g in grids if g.sheet) or "全部内容"
        if not any(any(v.strip() for v in row) for g in grids for row in g.rows):
            message = "文件中没有任何内容（空工作簿）。"
        else:
            message = (
                "没有找到任务清单的表头（应包含 重点任务、关键举措、牵头单位、责任单位/地区 及阶段列；"
                f"平铺模板另有 序号 列），已查看：{looked}。"
            )
        return ReadResult(file_name, None, [Problem(message, file_name)], directory=directory)

    # Prefer a complete header; among those, the first in the file (a 说明 sheet scores low).
    complete = [h for h in headers if not h.missing]
    header = complete[0] if complete else max(headers, key=lambda h: h.score)
    problems: list[Problem] = []
    if header.missing:
        names = "、".join(f"“{FIELD_LABELS[name]}”" for name in header.missing)
        problems.append(header.grid.problem(f"缺少列：{names}。", row=header.row))
        return ReadResult(file_name, None, problems, header, directory)
    if len(grids) > 1 and header.grid.sheet:
        problems.append(
            header.grid.problem(
                f"文件有 {len(grids)} 个表，读取的是“{header.grid.sheet}”（第 {header.row + 1} 行为表头，"
                f"{LAYOUT_LABELS[header.layout]}）。",
                severity="warning",
            )
        )
    alike = [h for h in complete if h is not header and h.columns == header.columns]
    if alike:
        # A table split in two (a page break turned into a paragraph) would lose its second half here:
        # the preview then shows those tasks as removed, and this says why.
        names = "、".join(f"“{h.grid.sheet}”" for h in alike)
        problems.append(
            header.grid.problem(
                f"{names}的表头与“{header.grid.sheet}”相同，但只读取了“{header.grid.sheet}”；"
                "如果任务清单被分成了几个表，请合并为一个表后再导入。",
                severity="warning",
            )
        )
    if not header.phases:
        problems.append(
            header.grid.problem(
                "没有找到阶段列（形如“2026-2027年（筑基期）”），将不导入阶段目标。", row=header.row, severity="warning"
            )
        )
    length_problems = check_cell_lengths(header.grid)
    if length_problems:
        return ReadResult(file_name, None, problems + length_problems, header, directory)

    parse = parse_flat if header.layout == "flat" else parse_distributed
    tasklist, parse_problems = parse(header, directory, create_units=create_units, progress=progress)
    return ReadResult(file_name, tasklist, problems + parse_problems, header, directory)
