"""What a circular covers: a quarter (or a year) of a plan, its reporting periods, and the period whose
reports judge the measures' states."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count

from notifications.circulars.models import CircularKind
from tasks_app.models import Period, PeriodKind, Plan
from tasks_app.models.insights import quarter_end, quarter_label

QUARTER_ARG = re.compile(r"^\s*(?P<year>\d{4})\s*[Qq季]\s*(?P<quarter>[1-4])\s*$")
# Among periods of the scope that cover every measure, the one that judges states: the longest,
# then the latest (a quarter's own 季通报 period before its last month).
KIND_WEIGHT = {PeriodKind.YEAR: 4, PeriodKind.HALF_YEAR: 3, PeriodKind.QUARTER: 2, PeriodKind.MONTH: 1}


def parse_quarter(text: str) -> tuple[int, int]:
    """'2026Q4' → (2026, 4); a clear Chinese error otherwise."""
    match = QUARTER_ARG.match(text or "")
    if not match:
        raise ValueError(f"季度“{text}”的格式不对：应写作“2026Q4”（年份 + Q + 1 至 4）。")
    return int(match["year"]), int(match["quarter"])


@dataclass(frozen=True)
class Scope:
    plan: Plan
    kind: str  # CircularKind
    year: int
    quarter: int = 0  # 0 for the annual summary

    def __post_init__(self):
        if self.kind == CircularKind.QUARTERLY and not 1 <= self.quarter <= 4:
            raise ValueError(f"季度应为 1 至 4，而不是 {self.quarter}。")
        if not self.plan.start_date.year <= self.year <= self.plan.end_date.year:
            raise ValueError(
                f"{self.year}年不在方案“{self.plan.name}”的实施期"
                f"（{self.plan.start_date.year}—{self.plan.end_date.year}年）内。"
            )

    @property
    def is_annual(self) -> bool:
        return self.kind == CircularKind.ANNUAL

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1 if self.is_annual else self.quarter * 3 - 2, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31) if self.is_annual else quarter_end(self.year, self.quarter)

    @property
    def label(self) -> str:
        return f"{self.year}年度" if self.is_annual else quarter_label(self.year, self.quarter)

    @property
    def title(self) -> str:
        if self.is_annual:
            return f"关于{self.year}年度重点任务推进情况的总结"
        return f"关于{self.label}重点任务推进情况的通报"

    @property
    def previous(self) -> Scope | None:
        """The quarter (year) before, if it is still within the plan."""
        if self.is_annual:
            year, quarter = self.year - 1, 0
        else:
            year, quarter = (self.year, self.quarter - 1) if self.quarter > 1 else (self.year - 1, 4)
        if year < self.plan.start_date.year:
            return None
        return Scope(self.plan, self.kind, year, quarter)

    def quarters(self) -> list[Scope]:
        """The four quarters of an annual scope."""
        return [Scope(self.plan, CircularKind.QUARTERLY, self.year, q) for q in range(1, 5)]


def scope_periods(scope: Scope) -> list[Period]:
    """The reporting periods that end within the scope: one query. A quarter leaves out the year's
    own period (年总结), which is due after the quarter's circular and belongs to the annual summary."""
    periods = (
        Period.objects.filter(plan=scope.plan, end_date__gte=scope.start, end_date__lte=scope.end)
        .select_related("cadence")
        .annotate(task_count=Count("cadence__tasks"))
        .order_by("end_date", "kind", "pk")
    )
    if not scope.is_annual:
        periods = periods.exclude(kind=PeriodKind.YEAR)
    return list(periods)


def state_period(scope: Scope, periods: list[Period]) -> Period | None:
    """The period whose lead reports judge each measure's state for the scope.

    The period of the cadence that drafts this very document (季通报 for a quarter, 年总结 for a
    year) when it exists; else the longest, latest period covering every measure (not a
    task-specific rhythm such as task 41's); None when nothing was asked in the scope.
    """
    own = [p for p in periods if p.cadence_id and p.cadence.document == scope.kind and p.start_date == scope.start]
    if own:
        return own[0]
    general = [p for p in periods if not getattr(p, "task_count", 0)]
    return max(general, key=lambda p: (KIND_WEIGHT.get(p.kind, 0), p.end_date), default=None)
