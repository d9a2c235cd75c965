"""Cadences: loading them for a plan, and opening the periods they call for on a given day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from tasks_app.models import Cadence, Plan, ReminderStep, Task
from tasks_app.services.periods import PeriodOpened, period_bounds, period_open
from tasks_app.workdays import WorkCalendar


@transaction.atomic
def cadences_load(*, plan: Plan, path: Path) -> int:
    """Create the cadences of a file and their default reminder ladder. Idempotent: a
    cadence that exists keeps what the office has changed since."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    ladder = data.get("reminder_ladder", [])
    created = 0
    for entry in data["cadences"]:
        fields = {k: v for k, v in entry.items() if k not in ("code", "tasks")}
        cadence, is_new = Cadence.objects.get_or_create(plan=plan, code=entry["code"], defaults=fields)
        if not is_new:
            continue
        created += 1
        if entry.get("tasks"):
            cadence.tasks.set(Task.objects.filter(plan=plan, number__in=entry["tasks"]))
        ReminderStep.objects.bulk_create([ReminderStep(cadence=cadence, **step) for step in ladder])
    return created


def cadence_for(plan: Plan, code: str) -> Cadence:
    return Cadence.objects.get(plan=plan, code=code)


def periods_to_open(cadence: Cadence, today: dt.date) -> list[dt.date]:
    """Start days of the cadence's periods that should be open on ``today``: the current
    one, and the next one once it is ``open_days_ahead`` days away."""
    starts = []
    for day in (today, today + dt.timedelta(days=cadence.open_days_ahead)):
        start, _ = period_bounds(cadence.period_kind, day)
        if start not in starts and cadence.runs_in(start):
            starts.append(start)
    return starts


def cadence_open_periods(*, today: dt.date, calendar: WorkCalendar | None = None) -> list[PeriodOpened]:
    """Open every period the active cadences call for on ``today``. Idempotent."""
    calendar = calendar or WorkCalendar.load()
    opened = []
    for cadence in Cadence.objects.filter(is_active=True).select_related("plan"):
        for start in periods_to_open(cadence, today):
            if start > cadence.plan.end_date or start < cadence.plan.start_date.replace(day=1):
                continue
            opened.append(period_open(cadence=cadence, day=start, calendar=calendar))
    return opened
