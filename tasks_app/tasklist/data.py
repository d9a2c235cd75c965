"""A task list as plain data: what a file says, and what a revision's snapshot keeps.

Unit cells are held twice: as written (``lead_text``) and as canonical unit
names (``lead``). Two lists are the same when their texts and canonical units
are the same; how a cell was written does not make a change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

PHASE_HEADER = re.compile(
    r"^\s*(?P<start>\d{4})\s*(?:[-—–－~～至到]+\s*(?P<end>\d{4}))?\s*年\s*[（(]\s*(?P<name>[^（）()]+?)\s*[）)]\s*$"
)


@dataclass(frozen=True)
class PhaseColumn:
    ordinal: int
    header: str
    name: str
    start_year: int
    end_year: int

    @classmethod
    def parse(cls, ordinal: int, header: str) -> PhaseColumn | None:
        """``2026-2027年（筑基期）`` or ``2030年（目标）``; None for any other header."""
        match = PHASE_HEADER.match(header or "")
        if not match:
            return None
        start = int(match["start"])
        end = int(match["end"] or start)
        if end < start:
            return None
        return cls(ordinal, header.strip(), match["name"], start, end)

    @property
    def start_date(self) -> dt.date:
        return dt.date(self.start_year, 1, 1)

    @property
    def end_date(self) -> dt.date:
        return dt.date(self.end_year, 12, 31)


@dataclass(frozen=True)
class RowRef:
    """Where a row came from, for messages and for the preview."""

    file: str
    sheet: str | None
    row: int  # 1-based

    def __str__(self) -> str:
        sheet = f"工作表“{self.sheet}” " if self.sheet else ""
        return f"{sheet}第 {self.row} 行"


@dataclass
class MeasureData:
    position: int
    text: str
    lead: list[str]
    support: list[str]
    targets: list[str]  # one per phase column, verbatim
    lead_text: str = ""
    support_text: str = ""
    source: RowRef | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        return {
            "position": self.position,
            "text": self.text,
            "lead": self.lead,
            "support": self.support,
            "lead_text": self.lead_text,
            "support_text": self.support_text,
            "targets": self.targets,
        }

    @classmethod
    def from_json(cls, data: dict) -> MeasureData:
        return cls(
            position=data["position"],
            text=data["text"],
            lead=list(data["lead"]),
            support=list(data["support"]),
            targets=list(data["targets"]),
            lead_text=data.get("lead_text", ""),
            support_text=data.get("support_text", ""),
        )


@dataclass
class TaskData:
    number: int
    title: str
    part: str
    sector: str
    measures: list[MeasureData]
    source: RowRef | None = field(default=None, compare=False)

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "part": self.part,
            "sector": self.sector,
            "measures": [measure.to_json() for measure in self.measures],
        }

    @classmethod
    def from_json(cls, data: dict) -> TaskData:
        return cls(
            number=data["number"],
            title=data["title"],
            part=data["part"],
            sector=data["sector"],
            measures=[MeasureData.from_json(m) for m in data["measures"]],
        )


@dataclass
class TaskList:
    phases: list[PhaseColumn]
    tasks: list[TaskData]

    @property
    def measure_count(self) -> int:
        return sum(len(task.measures) for task in self.tasks)

    def task(self, number: int) -> TaskData | None:
        return next((task for task in self.tasks if task.number == number), None)

    def unit_names(self) -> set[str]:
        return {name for task in self.tasks for m in task.measures for name in (*m.lead, *m.support)}

    def to_json(self) -> dict:
        return {
            "phases": [{"ordinal": p.ordinal, "header": p.header} for p in self.phases],
            "tasks": [task.to_json() for task in self.tasks],
        }

    @classmethod
    def from_json(cls, data: dict) -> TaskList:
        phases = [PhaseColumn.parse(p["ordinal"], p["header"]) for p in data.get("phases", [])]
        return cls(phases=[p for p in phases if p], tasks=[TaskData.from_json(t) for t in data.get("tasks", [])])
