"""Read 附件1 straight out of the plan text in ``../shared/seeds/``.

The seed is the annex table flattened to text: every cell starts on a line
that begins with a tab, and lines without a tab continue the cell above.
Data rows have eight cells (part heading, sector heading, task, measure,
lead units, supporting units, two phase targets); an empty heading or task
cell means "same as the row above" (merged cells in the original table).

This module is test support only: the fixture ``fixtures/annex1.xlsx`` is
checked against what it returns, so a typo in the fixture cannot hide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_4402b51cc72893bb.txt"

ANNEX1_FIRST_LINE = 95  # " 附件1"
ANNEX2_MARKER = "附件2"
CELLS_PER_ROW = 8
HEADER_CELLS = 6


@dataclass(frozen=True)
class PlanRow:
    part: str
    sector: str
    task: str  # "1.推动煤炭资源稳定接续发展。"
    measure: str
    lead: str
    support: str
    phase1: str
    phase2: str

    @property
    def task_number(self) -> int:
        return int(re.match(r"(\d+)\.", self.task).group(1))

    @property
    def task_title(self) -> str:
        return re.sub(r"^\d+\.", "", self.task)


def read_cells(path: Path = SEED) -> tuple[list[str], list[str]]:
    """Return (header cells, data cells) of 附件1, each cell stripped."""
    lines = path.read_text(encoding="utf-8").split("\n")
    body = lines[ANNEX1_FIRST_LINE - 1 :]
    end = next(i for i, line in enumerate(body) if line.strip() == ANNEX2_MARKER)
    cells: list[list[str]] = []
    for line in body[:end]:
        if line.startswith("\t"):
            cells.append([line[1:]])
        elif cells:
            cells[-1].append(line)
    texts = ["\n".join(parts).strip() for parts in cells]
    return texts[:HEADER_CELLS], texts[HEADER_CELLS:]


def read_rows(path: Path = SEED) -> tuple[list[str], list[PlanRow]]:
    header, cells = read_cells(path)
    if len(cells) % CELLS_PER_ROW:
        raise ValueError(f"附件1 has {len(cells)} cells, not a multiple of {CELLS_PER_ROW}")
    rows: list[PlanRow] = []
    previous: PlanRow | None = None
    for start in range(0, len(cells), CELLS_PER_ROW):
        part, sector, task, measure, lead, support, p1, p2 = cells[start : start + CELLS_PER_ROW]
        if previous is not None:
            part = part or previous.part
            sector = sector or previous.sector
            task = task or previous.task
            if task == previous.task:
                # Task 27: the second measure's unit cells are merged with the first's.
                lead = lead or previous.lead
                support = support or previous.support
        row = PlanRow(part, sector, task, measure, lead, support, p1, p2)
        rows.append(row)
        previous = row
    return header, rows


def collapse_unit_cell(text: str) -> str:
    """Unit cells are kept verbatim except for line breaks, which are collapsed."""
    return "".join(line.strip() for line in text.splitlines()).strip()
