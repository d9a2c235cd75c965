"""Reporting discipline (报送纪律): was each report filed on time, late, or not at all?

A report counts by its FIRST submission to the office (``first_submitted_at``, in Asia/Shanghai
days) against its deadline: a report returned and resubmitted was still filed when it was first
sent. Not filed and past the deadline is missing (未报送); not filed before the deadline is pending.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q

from tasks_app.models import Period, Report, Unit


class Kind:
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"
    LABELS = {ON_TIME: "按时报送", LATE: "逾期报送", MISSING: "未报送（已逾期）", PENDING: "未到截止日"}
    ALL = (ON_TIME, LATE, MISSING, PENDING)


def discipline_filter(kind: str, today: dt.date) -> Q:
    """The reports of one kind, as a filter on ``Report``."""
    filed = Q(first_submitted_at__isnull=False)
    return {
        Kind.ON_TIME: filed & Q(first_submitted_at__date__lte=F("due_date")),
        Kind.LATE: filed & Q(first_submitted_at__date__gt=F("due_date")),
        Kind.MISSING: ~filed & Q(due_date__lt=today),
        Kind.PENDING: ~filed & Q(due_date__gte=today),
    }[kind]


def _aggregates(today: dt.date) -> dict:
    return {
        "due": Count("pk"),
        **{
            kind: Count("pk", filter=discipline_filter(kind, today)) for kind in (Kind.ON_TIME, Kind.LATE, Kind.MISSING)
        },
    }


@dataclass
class Discipline:
    due: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def pending(self) -> int:
        return self.due - self.on_time - self.late - self.missing

    @property
    def past_due(self) -> int:
        return self.due - self.pending

    @property
    def on_time_rate(self) -> float | None:
        """Share of the reports already due that were filed on time; None before any deadline."""
        return self.on_time / self.past_due if self.past_due else None

    def count(self, kind: str) -> int:
        return getattr(self, kind)

    def add(self, other: Discipline) -> None:
        self.due += other.due
        self.on_time += other.on_time
        self.late += other.late
        self.missing += other.missing


def _discipline(row: dict) -> Discipline:
    return Discipline(row["due"], row["on_time"], row["late"], row["missing"])


@dataclass
class UnitDiscipline:
    unit_id: int
    unit_name: str
    counts: Discipline


def discipline_by_unit(period: Period, today: dt.date) -> list[UnitDiscipline]:
    """Every unit asked to report in ``period``, worst first (most missing, then most late): one query."""
    rows = (
        Report.objects.filter(period=period)
        .order_by()
        .values("unit_id", "unit__name", "unit__sort_order")
        .annotate(**_aggregates(today))
    )
    units = [UnitDiscipline(row["unit_id"], row["unit__name"], _discipline(row)) for row in rows]
    sort_orders = {row["unit_id"]: row["unit__sort_order"] for row in rows}
    units.sort(key=lambda u: (-u.counts.missing, -u.counts.late, sort_orders[u.unit_id], u.unit_name))
    return units


def unit_discipline_by_period(unit: Unit, periods: list[Period], today: dt.date) -> list[tuple[Period, Discipline]]:
    """One unit's discipline in each of ``periods`` (latest first): one query."""
    rows = {
        row["period_id"]: _discipline(row)
        for row in Report.objects.filter(unit=unit, period__in=periods)
        .order_by()
        .values("period_id")
        .annotate(**_aggregates(today))
    }
    return [(period, rows[period.pk]) for period in periods if period.pk in rows]
