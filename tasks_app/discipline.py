"""Reporting discipline of a period: who filed on time, late (by how many working days), or not at all."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from tasks_app.models import Period, Report, ReportEvent, Unit
from tasks_app.workdays import WorkCalendar


@dataclass
class UnitDiscipline:
    unit: Unit
    total: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    returned: int = 0
    late_workdays: list[int] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.total if self.total else 1.0

    @property
    def max_late_workdays(self) -> int:
        return max(self.late_workdays, default=0)


def report_lateness(report: Report, calendar: WorkCalendar, today: dt.date) -> tuple[str, int]:
    """("on_time" | "late" | "missing", working days late). First submission counts."""
    if report.first_submitted_at is None:
        return "missing", calendar.workdays_between(report.due_date, today) if today > report.due_date else 0
    filed_on = timezone.localtime(report.first_submitted_at).date()
    if filed_on <= report.due_date:
        return "on_time", 0
    return "late", calendar.workdays_between(report.due_date, filed_on)


def period_discipline(period: Period, today: dt.date, calendar: WorkCalendar | None = None) -> list[UnitDiscipline]:
    """Per unit, worst first. Queries: reports with units; returned reports."""
    calendar = calendar or WorkCalendar.load()
    reports = (
        Report.objects.filter(period=period)
        .select_related("unit")
        .only("pk", "unit", "due_date", "state", "first_submitted_at", "unit__name", "unit__sort_order", "unit__kind")
    )
    returned = set(
        ReportEvent.objects.filter(report__period=period, action=ReportEvent.Action.RETURN).values_list(
            "report_id", flat=True
        )
    )
    rows: dict[int, UnitDiscipline] = {}
    for report in reports:
        row = rows.setdefault(report.unit_id, UnitDiscipline(report.unit))
        row.total += 1
        outcome, days = report_lateness(report, calendar, today)
        setattr(row, outcome, getattr(row, outcome) + 1)
        if outcome == "late":
            row.late_workdays.append(days)
        row.returned += report.pk in returned
    return sorted(rows.values(), key=lambda r: (-r.missing, -r.late, r.on_time_rate, r.unit.sort_order, r.unit.name))


def discipline_totals(rows: list[UnitDiscipline]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        for name in ("total", "on_time", "late", "missing", "returned"):
            totals[name] += getattr(row, name)
    return dict(totals)
