"""Deadlines stated inside a phase target's text: 到2026年底, 2028年底前, 力争2030年前, 未来2年内, 年内.

A target item without one is due at the end of its phase (筑基期: 2027-12-31). When an item states
several, the earliest counts: "到2026年底完成…，2027年…" is overdue from 2027 on if not done.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}


@dataclass(frozen=True)
class Deadline:
    day: dt.date
    explicit: bool  # stated in the text, not the phase end

    @property
    def label(self) -> str:
        return f"{self.day.year}年{self.day.month}月{self.day.day}日前" + ("" if self.explicit else "（阶段末）")


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


# Each pattern gives the deadline it states; all are tried and the earliest wins.
PATTERNS: list[tuple[re.Pattern, object]] = [
    (re.compile(r"(20\d{2})年上半年"), lambda m, start: dt.date(int(m[1]), 6, 30)),
    (re.compile(r"(20\d{2})\s*[-—–~至到]\s*(20\d{2})年"), lambda m, start: _year_end(int(m[2]))),
    (re.compile(r"(20\d{2})年(?:年)?底"), lambda m, start: _year_end(int(m[1]))),
    (re.compile(r"(?:到|至|于|力争|在|预计)(20\d{2})年"), lambda m, start: _year_end(int(m[1]))),
    (re.compile(r"(20\d{2})年(?:以)?前"), lambda m, start: _year_end(int(m[1]))),
    (re.compile(r"^\s*(?:\d+[.．、])?\s*(20\d{2})年"), lambda m, start: _year_end(int(m[1]))),
    (
        re.compile(r"未来\s*([0-9一二两三四五])\s*年内"),
        lambda m, start: _year_end(start.year + (int(m[1]) if m[1].isdigit() else CHINESE_DIGITS[m[1]]) - 1),
    ),
    (re.compile(r"(?<![每未来0-9一二两三四五])年内"), lambda m, start: _year_end(start.year)),
]


@lru_cache(maxsize=8192)
def target_deadline(text: str, phase_start: dt.date, phase_end: dt.date) -> Deadline:
    """The deadline of one target item of a phase (cached: a province's list repeats its phrasings)."""
    found = []
    for pattern, to_date in PATTERNS:
        for match in pattern.finditer(text):
            day = to_date(match, phase_start)
            # "2027-2030年撬动…" in a 筑基期 cell speaks of later years: never before the phase starts.
            if day >= phase_start:
                found.append(day)
    if not found:
        return Deadline(phase_end, explicit=False)
    return Deadline(min(found), explicit=True)
