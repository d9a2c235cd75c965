"""Problems found in an uploaded task list, each pinned to file, sheet, row and column."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class Problem:
    message: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: int | None = None  # 1-based
    field: str | None = None
    severity: str = "error"  # or "warning"
    # What a "sheet" is in this file: 工作表 of a workbook; empty for a Word table,
    # whose name already says 第 1 个表格 and whose columns have numbers, not letters.
    sheet_label: str = "工作表"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def column_letter(self) -> str | None:
        if not self.column:
            return None
        return get_column_letter(self.column) if self.sheet_label or not self.sheet else str(self.column)

    @property
    def where(self) -> str:
        parts = [f"文件“{self.file}”"]
        if self.sheet:
            parts.append(f"{self.sheet_label}“{self.sheet}”" if self.sheet_label else self.sheet)
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"第 {self.column_letter} 列")
        if self.field:
            parts.append(f"（{self.field}）")
        return " ".join(parts)

    def __str__(self) -> str:
        label = "错误" if self.is_error else "提醒"
        return f"{label}：{self.where}：{self.message}"

    def to_json(self) -> dict:
        return asdict(self) | {"where": self.where, "column_letter": self.column_letter}


class TaskListError(Exception):
    """The file cannot be imported; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    @classmethod
    def single(cls, message: str, file: str, **where) -> TaskListError:
        return cls([Problem(message, file, **where)])
