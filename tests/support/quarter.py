"""A quarter of the cadence on the real 附件1, day by day, with units filing as people do.

``run_quarter`` runs the daily job (``cadence_run``) for every day from 1 July to the morning the
季通报 period of the third quarter of 2026 is collected and its circular drafted (14 October: the
period is due on the 5th working day after the quarter, 13 October — 1-7 October is the National Day
holiday and Saturday 10 October a make-up working day), and on each day files,
through the real filing service, every open report due two days later — except:
- the units in ``late`` file their August 月调度 reports three working days after the deadline;
- the units in ``silent`` never file anything.
Lead reports of tasks 3 and 6 say 已完成 and 滞后 (with a problem); every other report 正常推进.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import time_machine

from tests.support.reporting import at, filer

Q3_FIRST_DAY = dt.date(2026, 7, 1)
Q3_DRAFTED = dt.date(2026, 10, 14)  # the 季通报 period (due 13 October) is collected this morning


def _file(report, day: dt.date) -> None:
    from tasks_app.services.reports import ReportInput, report_submit

    status, progress, problems = "on_track", f"{report.period.label}：{report.measure.label}按计划推进。", ""
    if report.role == "lead" and report.measure.code == "3":
        status, progress = "done", "已完成煤炭资源勘查年度任务。"
    if report.role == "lead" and report.measure.code == "6":
        status, problems = "behind", "储能项目用地预审未通过。"
    data = ReportInput(status, progress, problems, "继续推进。", {})
    with time_machine.travel(at(day), tick=False):
        report_submit(report=report, user=filer(report.unit), data=data, version=report.version)


def run_quarter(*, late: Iterable[str] = (), silent: Iterable[str] = (), until: dt.date = Q3_DRAFTED) -> list:
    """Run every day of the quarter; returns each day's ``CadenceDay``."""
    from notifications.cadence_run import cadence_run
    from tasks_app.models import Report
    from tasks_app.workdays import WorkCalendar

    late, silent = set(late), set(silent)
    calendar = WorkCalendar.load()
    days = []
    day = Q3_FIRST_DAY
    while day <= until:
        with time_machine.travel(at(day, hour=7), tick=False):
            days.append(cadence_run(today=day))
        awaited = Report.objects.awaited().exclude(unit__name__in=silent).select_related("unit", "period", "measure")
        for report in awaited.filter(due_date__lte=day + dt.timedelta(days=2)):
            held_back = report.unit.name in late and report.period.label.startswith("2026年8月")
            if held_back and day < calendar.shift(report.due_date, 3):
                continue
            _file(report, day)
        day += dt.timedelta(days=1)
    return days
