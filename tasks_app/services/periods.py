"""Reporting periods: opening one creates a report request per measure × responsible unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from tasks_app.models import Cadence, Measure, Period, PeriodKind, Report
from tasks_app.services.permissions import responsibilities
from tasks_app.workdays import WorkCalendar

QUARTER_NAMES = "一二三四"


MONTHS_IN = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_bounds(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The period of ``kind`` that contains ``day``: (first day, last day)."""
    if kind not in MONTHS_IN:
        raise ValueError(f"未知的周期类型：{kind}")
    length = MONTHS_IN[kind]
    start = dt.date(day.year, (day.month - 1) // length * length + 1, 1)
    return start, add_months(start, length) - dt.timedelta(days=1)


def period_label(kind: str, start: dt.date) -> str:
    if kind == PeriodKind.MONTH:
        return f"{start.year}年{start.month}月"
    if kind == PeriodKind.QUARTER:
        return f"{start.year}年第{QUARTER_NAMES[(start.month - 1) // 3]}季度"
    if kind == PeriodKind.HALF_YEAR:
        return f"{start.year}年{'上' if start.month <= 6 else '下'}半年"
    return f"{start.year}年度"


@dataclass
class PeriodOpened:
    period: Period
    created: bool
    requests_created: int


@transaction.atomic
def period_open(
    *, cadence: Cadence, day: dt.date, due_date: dt.date | None = None, calendar: WorkCalendar | None = None
) -> PeriodOpened:
    """Open the cadence's period containing ``day`` and request every report it needs.

    The due date follows the cadence's rule on China's working-day calendar unless
    given. Idempotent: opening it again adds only the requests that are missing (a
    measure a revision added since, a unit newly designated) and never touches a
    filed report. Archived tasks and measures never get requests.
    """
    kind = cadence.period_kind
    start, end = period_bounds(kind, day)
    if due_date is None:
        due_date = cadence.due_date(start, end, calendar or WorkCalendar.load())
    period, created = Period.objects.get_or_create(
        plan=cadence.plan,
        cadence=cadence,
        start_date=start,
        defaults={
            "kind": kind,
            "end_date": end,
            "due_date": due_date,
            "label": f"{period_label(kind, start)} {cadence.name}",
        },
    )
    # Two openings of one period (a second beat, a retry) queue here; the second sees the first's rows.
    period = Period.objects.select_for_update().get(pk=period.pk)
    measures = Measure.objects.filter(task__plan=cadence.plan)
    if cadence.tasks.exists():
        measures = measures.filter(task__in=cadence.tasks.all())
    measures = measures.filter(archived_in__isnull=True, task__archived_in__isnull=True)
    if not created:
        # A measure a revision added after the period opened gets requests from the next period on.
        measures = measures.exclude(introduced_in__created_at__gt=period.opened_at)
    wanted = responsibilities(measures.values_list("pk", flat=True))
    existing = set(Report.objects.filter(period=period).values_list("measure_id", "unit_id"))
    new = [
        Report(
            period=period,
            measure_id=r.measure_id,
            unit_id=r.unit_id,
            role=r.role,
            via_id=r.via_id,
            due_date=period.due_date,
        )
        for r in wanted
        if (r.measure_id, r.unit_id) not in existing
    ]
    Report.objects.bulk_create(new, batch_size=2000)
    # bulk_create bypasses simple-history: record each request's first version explicitly.
    Report.history.bulk_history_create(new, batch_size=2000, default_change_reason="开启周期")
    return PeriodOpened(period, created, len(new))
