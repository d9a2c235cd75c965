"""Cadences as data: which periods open when, and when they are due."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks_app.models import Cadence, Period, Report
from tasks_app.services.cadence import cadence_for, cadence_open_periods, periods_to_open
from tasks_app.services.periods import period_open
from tasks_app.workdays import WorkCalendar

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_plan_has_its_rhythms(annex1):
    codes = set(Cadence.objects.filter(plan=annex1).values_list("code", flat=True))
    assert {"monthly", "quarterly", "annual"} <= codes
    assert {"task28-library", "task41-monthly", "task41-quarterly", "task45-quarterly", "task46-half-year"} <= codes
    assert list(cadence_for(annex1, "task28-library").tasks.values_list("number", flat=True)) == [28]
    ladder = cadence_for(annex1, "monthly").reminder_steps.all()
    assert [(s.offset_workdays, s.kind) for s in ladder] == [(-3, "remind"), (0, "due"), (1, "chase"), (3, "notice")]


@pytest.mark.parametrize(
    ("code", "day", "due"),
    [
        ("monthly", D(2026, 11, 1), D(2026, 11, 25)),  # Wednesday
        ("monthly", D(2026, 10, 1), D(2026, 10, 23)),  # the 25th is a Sunday: the Friday before
        ("monthly", D(2026, 1, 1), D(2026, 1, 23)),
        ("quarterly", D(2026, 7, 1), D(2026, 10, 13)),  # 5 working days after 30 Sept: 8, 9, 10 (调休), 12, 13 Oct
        ("annual", D(2026, 1, 1), D(2027, 1, 14)),  # 10 working days, Mon-Fri (2027 not announced): 1, 4-8, 11-14 Jan
        ("task28-library", D(2026, 2, 1), D(2026, 3, 31)),
        ("task46-half-year", D(2026, 3, 1), D(2026, 7, 7)),
    ],
)
def test_due_dates_follow_the_rule_on_working_days(annex1, code, day, due):
    opened = period_open(cadence=cadence_for(annex1, code), day=day)
    assert opened.period.due_date == due


def test_a_first_quarter_cadence_runs_only_in_the_first_quarter(annex1):
    library = cadence_for(annex1, "task28-library")
    assert periods_to_open(library, D(2026, 2, 10)) == [D(2026, 1, 1)]
    assert periods_to_open(library, D(2026, 5, 10)) == []


def test_a_task_cadence_asks_only_for_its_tasks(annex1):
    opened = period_open(cadence=cadence_for(annex1, "task41-quarterly"), day=D(2026, 10, 1))
    numbers = set(Report.objects.filter(period=opened.period).values_list("measure__task__number", flat=True))
    assert numbers == {41}
    assert opened.period.label == "2026年第四季度 政银企季度会商（任务41）"


def test_periods_open_ahead_of_time_and_only_once(annex1):
    calendar = WorkCalendar.load()
    first = cadence_open_periods(today=D(2026, 11, 29), calendar=calendar)
    labels = {o.period.label for o in first if o.created}
    assert {"2026年11月 月调度", "2026年12月 月调度", "2026年第四季度 季通报", "2026年度 年总结"} <= labels
    assert "2026年11月 政银企月度对接（任务41）" in labels
    count = Report.objects.count()
    again = cadence_open_periods(today=D(2026, 11, 29), calendar=calendar)
    assert not any(o.created for o in again) and sum(o.requests_created for o in again) == 0
    assert Report.objects.count() == count


def test_an_inactive_cadence_opens_nothing(annex1):
    Cadence.objects.update(is_active=False)
    assert cadence_open_periods(today=D(2026, 11, 29)) == []
    assert not Period.objects.exists()
