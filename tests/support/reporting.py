"""Filing reports in tests the way units do: through the services, at a chosen moment."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def filer(unit):
    """A reporter of ``unit`` (created the first time it is needed)."""
    from tasks_app.models import User
    from tasks_app.services.accounts import user_create

    username = f"filer-{unit.pk}"
    return User.objects.filter(username=username).first() or user_create(
        username=username, role="reporter", unit=unit, name=f"{unit.name}填报员"
    )


def file_report(
    report,
    *,
    status: str = "on_track",
    progress: str = "按计划推进。",
    problems: str = "",
    next_steps: str = "继续推进。",
    on: dt.date | None = None,
    figures: dict | None = None,
):
    """Submit ``report`` as its unit's reporter on day ``on`` (two days before the deadline by default)."""
    from tasks_app.models import Report
    from tasks_app.services.reports import ReportInput, report_submit

    report = Report.objects.select_related("unit", "period", "measure").get(pk=report.pk)
    data = ReportInput(status, progress, problems, next_steps, figures or {})
    with time_machine.travel(at(on or report.due_date - dt.timedelta(days=2)), tick=False):
        return report_submit(report=report, user=filer(report.unit), data=data, version=report.version)


def lead_report(period, code: str, unit_name: str | None = None):
    from tasks_app.models import Report

    reports = Report.objects.filter(period=period, measure__code=code, role="lead")
    if unit_name:
        reports = reports.filter(unit__name=unit_name)
    return reports.get()


def open_month(plan, month: int, due_day: int = 25, year: int = 2026):
    from tasks_app.services.cadence import cadence_for
    from tasks_app.services.periods import period_open

    monthly = cadence_for(plan, "monthly")
    return period_open(cadence=monthly, day=dt.date(year, month, 1), due_date=dt.date(year, month, due_day)).period
