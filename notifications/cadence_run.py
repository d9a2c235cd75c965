"""One day of the cadence: warn about the calendar, open periods, collect, remind.

``cadence_run(today=…, dispatch=…)`` is the daily Celery job and the body of
``manage.py run_cadence --today``. ``dispatch`` decides how the per-unit work
runs: fanned out to Celery workers, or inline for a rehearsal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from notifications.circulars.services import circular_compile, circular_schedule, drafts_waiting, scopes_due
from notifications.delivery import Message
from notifications.notify import notify_admins
from notifications.reminders import (
    chunks,
    period_collect,
    periods_to_collect,
    remind_office,
    remind_units,
    steps_due,
    units_with_open_reports,
)
from tasks_app.services.cadence import cadence_open_periods
from tasks_app.services.calendar import calendar_warning
from tasks_app.workdays import WorkCalendar


@dataclass
class CadenceDay:
    today: dt.date
    opened: list[str] = field(default_factory=list)
    requests_created: int = 0
    collected: list[int] = field(default_factory=list)
    steps: int = 0
    unit_batches: int = 0
    circulars: list[str] = field(default_factory=list)
    warning: str | None = None


def inline(fn: Callable, **kwargs) -> None:
    fn(**kwargs)


def cadence_run(*, today: dt.date, dispatch: Callable = inline) -> CadenceDay:
    day = CadenceDay(today)
    calendar = WorkCalendar.load()
    day.warning = calendar_warning(today)
    if day.warning:
        notify_admins(
            key=f"calendar-warning:{today.year + 1}", message=Message("节假日安排待录入", day.warning, "/admin/")
        )
    for opened in cadence_open_periods(today=today, calendar=calendar):
        if opened.created:
            day.opened.append(opened.period.label)
        day.requests_created += opened.requests_created
    for period_id in periods_to_collect(today):
        if period_collect(period_id=period_id, today=today):
            day.collected.append(period_id)
    # The morning after a 季通报 (年总结) period is collected, its circular is drafted for the office.
    for scope in scopes_due(today):
        circular, created = circular_schedule(scope=scope, enqueue=False)
        if created:
            day.circulars.append(circular.title)
            dispatch(circular_compile, circular_id=circular.pk, today=today)
    for circular_id in drafts_waiting():  # queued while the broker was down, or left by a dead worker
        dispatch(circular_compile, circular_id=circular_id, today=today)
    for due in steps_due(today, calendar):
        day.steps += 1
        remind_office(period_id=due.period_id, step_id=due.step_id)
        for batch in chunks(units_with_open_reports(due.period_id)):
            day.unit_batches += 1
            dispatch(remind_units, period_id=due.period_id, step_id=due.step_id, unit_ids=batch, today=today)
    return day
