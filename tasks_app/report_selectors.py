"""Reads for the filing pages (我的任务, the report page, the office's queue), in fixed numbers of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.urls import reverse

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

# What 我的任务 reads of a report, its period, measure and task: a unit with a hundred measures has
# a hundred rows, and the measure's full text, the unit and the timestamps were read for nothing.
MY_TASKS_COLUMNS = (
    "period",
    "measure",
    "measure__task",
    "role",
    "due_date",
    "state",
    "progress_status",
    "period__label",
    "period__start_date",
    "measure__code",
    "measure__task__title",
)


@dataclass(slots=True)
class ReportRow:
    """A line of 我的任务, worked out in Python so that the template only prints it. With a
    ``{% url %}``, a ``|date`` and lookups four levels deep in each row, rendering a hundred
    rows took 10 ms of CPU; printing ready rows takes 4."""

    pk: int
    url: str
    period: str
    measure: str  # the measure's label (任务21-2)
    task_title: str
    role: str
    state: str
    progress_status: str
    due_date: dt.date
    light: Light
    late: bool
    can_carry_over: bool = False

    @property
    def due(self) -> str:
        """The due date as ``|date:"n月j日"`` shows it."""
        return f"{self.due_date.month}月{self.due_date.day}日"


def report_url_builder() -> Callable[[int], str]:
    """The report page's address for any id, reversed once (``reverse()`` takes about 25 µs a call)."""
    marker = "2147483647"
    head, tail = reverse("report-detail", args=[int(marker)]).split(marker)
    return lambda pk: f"{head}{pk}{tail}"


def _row(
    report: Report, url: Callable[[int], str], today: dt.date, *, late: bool, can_carry_over: bool = False
) -> ReportRow:
    return ReportRow(
        pk=report.pk,
        url=url(report.pk),
        period=report.period.label,
        measure=report.measure.label,
        task_title=report.measure.task.title,
        role=report.get_role_display(),
        state=report.get_state_display(),
        progress_status=report.get_progress_status_display(),
        due_date=report.due_date,
        light=report_light(report, today),
        late=late,
        can_carry_over=can_carry_over,
    )


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

    Queries: open reports; measures with an earlier filed report; filed reports of the recent periods.
    """
    result = MyTasks()
    if not user.unit_id:
        return result
    own = Report.objects.filter(unit_id=user.unit_id).select_related("period", "measure__task").only(*MY_TASKS_COLUMNS)
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
    url = report_url_builder()
    for report in open_reports:
        last = last_filed.get(report.measure_id)
        pending = report.state == ReportState.PENDING_APPROVAL
        row = _row(
            report,
            url,
            today,
            late=today > report.due_date,
            can_carry_over=not pending and last is not None and last < report.period.start_date,
        )
        (result.awaiting_approval if pending else result.todo).append(row)
    # The recent periods as a subquery: one round trip less than reading their ids first.
    periods = Period.objects.order_by("-start_date").values("pk")[:recent_periods]
    filed = own.filter(period__in=periods, state__in=FILED_STATES).order_by(
        "-period__start_date", "measure__task__number", "measure__position"
    )
    result.filed = [_row(r, url, today, late=False) for r in filed]
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
