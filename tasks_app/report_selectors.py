"""Reads for the filing pages (我的任务, the report page, the office's queue), in fixed numbers of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Max, QuerySet

from tasks_app.access import reports_for
from tasks_app.lights import Light, report_light
from tasks_app.models import (
    FILED_STATES,
    Period,
    Report,
    ReportState,
    Role,
    Unit,
    User,
)

REPORT_LIST_RELATED = ("period", "measure__task", "unit")


@dataclass
class ReportRow:
    report: Report
    light: Light
    late: bool
    can_carry_over: bool = False


@dataclass
class MyTasks:
    todo: list[ReportRow] = field(default_factory=list)
    awaiting_approval: list[ReportRow] = field(default_factory=list)
    filed: list[ReportRow] = field(default_factory=list)

    @property
    def late_count(self) -> int:
        return sum(row.late for row in self.todo)


CARRY_OVER_LOOKBACK = dt.timedelta(days=366)


def my_tasks(user: User, today: dt.date, *, recent_periods: int = 1) -> MyTasks:
    """The unit's open reports (late first), those waiting for the head, and what it filed lately.

    Queries: open reports; measures with an earlier filed report; recent periods; filed reports.
    """
    result = MyTasks()
    if not user.unit_id:
        return result
    own = Report.objects.filter(unit_id=user.unit_id).select_related(*REPORT_LIST_RELATED)
    open_reports = list(own.awaited().order_by("due_date", "measure__task__number", "measure__position"))
    last_filed: dict[int, dt.date] = {}
    if open_reports:
        # 沿用上期 offers last year's filings at most: older content is not "unchanged".
        since = min(r.period.start_date for r in open_reports) - CARRY_OVER_LOOKBACK
        last_filed = dict(
            Report.objects.filter(
                unit_id=user.unit_id,
                state__in=FILED_STATES,
                measure_id__in={r.measure_id for r in open_reports},
                period__start_date__gte=since,
            )
            .order_by()
            .values_list("measure_id")
            .annotate(last=Max("period__start_date"))
        )
    for report in open_reports:
        last = last_filed.get(report.measure_id)
        row = ReportRow(
            report,
            report_light(report, today),
            late=today > report.due_date,
            can_carry_over=report.state != ReportState.PENDING_APPROVAL
            and last is not None
            and last < report.period.start_date,
        )
        (result.awaiting_approval if report.state == ReportState.PENDING_APPROVAL else result.todo).append(row)
    periods = list(Period.objects.order_by("-start_date").values_list("pk", flat=True)[:recent_periods])
    filed = own.filter(period__in=periods, state__in=FILED_STATES).order_by(
        "-period__start_date", "measure__task__number", "measure__position"
    )
    result.filed = [ReportRow(r, report_light(r, today), late=False) for r in filed]
    return result


def sibling_reports(report: Report, user: User) -> list[Report]:
    """For a lead unit's report: the other units' reports on the same measure and period."""
    if report.role != Report.Role.LEAD:
        return []
    return list(
        reports_for(user)
        .filter(period_id=report.period_id, measure_id=report.measure_id)
        .exclude(pk=report.pk)
        .select_related("unit")
        .order_by("role", "unit__sort_order", "unit__name")
    )


@dataclass
class QueueFilters:
    period: int | None = None
    unit: int | None = None
    state: str = ReportState.SUBMITTED


def review_queue(filters: QueueFilters, page: int, per_page: int = 50):
    """The office's queue: reports by period, unit and state, oldest submission first."""
    reports: QuerySet[Report] = Report.objects.select_related(*REPORT_LIST_RELATED)
    if filters.period:
        reports = reports.filter(period_id=filters.period)
    if filters.unit:
        reports = reports.filter(unit_id=filters.unit)
    if filters.state:
        reports = reports.filter(state=filters.state)
    reports = reports.order_by("submitted_at", "due_date", "measure__task__number", "measure__position", "pk")
    return Paginator(reports, per_page).get_page(page)


def queue_choices() -> tuple[list[Period], list[Unit]]:
    periods = list(Period.objects.order_by("-start_date", "kind")[:36])
    units = list(Unit.objects.exclude(kind="collective").order_by("sort_order", "name").only("pk", "name"))
    return periods, units


def default_page_for(user: User) -> str:
    if user.role in (Role.OFFICE, Role.ADMIN) or user.is_superuser:
        return "review-queue"
    if user.role == Role.LEADER or not user.unit_id:
        return "home"
    return "my-tasks"
