"""Filling the working-day calendar from the chinesecalendar package, and the yearly warning."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from django.db import transaction

from tasks_app.models.calendar import CalendarDay, CalendarSource, CalendarYear

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
# From this month on, next year's arrangement is expected (the State Council usually publishes it in autumn).
WARN_FROM_MONTH = 11


def _chinese(name: str) -> str:
    return HOLIDAY_NAMES.get(name, name)


@transaction.atomic
def calendar_load_from_package(*, first_year: int = 2020) -> int:
    """Copy the package's holidays and make-up working days into the table. Idempotent;
    never overwrites a day the admin has entered or changed."""
    known = set(CalendarDay.objects.values_list("date", flat=True))
    rows = []
    for day, name in chinese_calendar.holidays.items():
        if day.year >= first_year and day not in known and day.weekday() < 5:
            rows.append(CalendarDay(date=day, is_workday=False, name=_chinese(name), source=CalendarSource.PACKAGE))
    for day, name in chinese_calendar.workdays.items():
        if day.year >= first_year and day not in known and day.weekday() >= 5:
            rows.append(
                CalendarDay(date=day, is_workday=True, name=f"{_chinese(name)}调休", source=CalendarSource.PACKAGE)
            )
    CalendarDay.objects.bulk_create(rows)
    years = {day.year for day in chinese_calendar.holidays if day.year >= first_year}
    for year in years:
        CalendarYear.objects.get_or_create(
            year=year, defaults={"source": CalendarSource.PACKAGE, "note": "chinesecalendar"}
        )
    return len(rows)


def calendar_warning(today: dt.date) -> str | None:
    """From November on, the message to show while next year's holidays are not entered."""
    year = today.year + 1
    if today.month < WARN_FROM_MONTH or CalendarYear.objects.filter(year=year).exists():
        return None
    return (
        f"{year}年节假日安排尚未录入：{year}年的截止日和提醒暂按周一至周五计算。"
        f"国务院办公厅公布后，请在管理后台“节假日与调休”中录入，并添加“已公布的年度节假日安排”{year}年。"
    )
