"""China's working-day calendar: holidays and 调休 from chinesecalendar, editable, Monday-Friday beyond."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks_app.models import CalendarDay, CalendarYear
from tasks_app.services.calendar import calendar_load_from_package, calendar_warning
from tasks_app.workdays import WorkCalendar

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def calendar(annex1) -> WorkCalendar:
    return WorkCalendar.load()


@pytest.mark.parametrize(
    ("day", "works"),
    [
        (D(2026, 2, 14), True),  # Saturday, 调休 for the Spring Festival
        (D(2026, 2, 16), False),  # Monday, Spring Festival
        (D(2026, 2, 23), False),  # Monday, last day of the Spring Festival holiday
        (D(2026, 9, 20), True),  # Sunday, 调休
        (D(2026, 10, 1), False),  # National Day
        (D(2026, 10, 10), True),  # Saturday, 调休
        (D(2026, 11, 25), True),  # an ordinary Wednesday
        (D(2026, 11, 28), False),  # an ordinary Saturday
    ],
)
def test_2026_holidays_and_make_up_days_come_from_the_package(calendar, day, works):
    assert calendar.is_workday(day) is works
    assert calendar.is_announced(2026)


def test_deadlines_move_over_holidays(calendar):
    assert calendar.shift(D(2026, 9, 30), 1) == D(2026, 10, 8)  # past the National Day week
    assert calendar.shift(D(2026, 9, 30), 3) == D(2026, 10, 10)  # the Saturday 调休 counts
    assert calendar.on_or_before(D(2026, 10, 25)) == D(2026, 10, 23)  # Sunday → Friday
    assert calendar.on_or_after(D(2026, 2, 15)) == D(2026, 2, 24)
    assert calendar.shift(D(2026, 11, 25), -3) == D(2026, 11, 20)
    assert calendar.workdays_between(D(2026, 11, 25), D(2026, 11, 30)) == 3
    assert calendar.workdays_between(D(2026, 11, 30), D(2026, 11, 25)) == -3


def test_an_unannounced_year_falls_back_to_monday_to_friday(calendar):
    assert not calendar.is_announced(2030)
    assert calendar.unannounced_years(2026, 2027, 2030) == [2027, 2030]
    assert calendar.is_workday(D(2030, 1, 1))  # a Tuesday: no holiday is known for 2030
    assert not calendar.is_workday(D(2030, 1, 5))  # Saturday
    assert calendar.shift(D(2030, 12, 31), 5) == D(2031, 1, 7)


def test_the_admin_enters_next_year_and_it_is_used(calendar):
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕X号")
    calendar = WorkCalendar.load()
    assert calendar.is_announced(2027)
    assert not calendar.is_workday(D(2027, 1, 1))
    assert calendar.shift(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_loading_the_package_twice_changes_nothing_and_keeps_admin_edits(calendar):
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    day.is_workday = False  # the admin corrects a day
    day.save()
    assert calendar_load_from_package() == 0
    assert CalendarDay.objects.get(date=D(2026, 10, 10)).is_workday is False


@pytest.mark.parametrize(
    ("today", "warned"),
    [(D(2026, 10, 31), False), (D(2026, 11, 1), True), (D(2026, 12, 20), True)],
)
def test_from_november_the_admin_is_warned_until_next_year_is_entered(annex1, today, warned):
    message = calendar_warning(today)
    assert (message is not None) is warned
    if warned:
        assert "2027年节假日安排尚未录入" in message
        CalendarYear.objects.create(year=2027)
        assert calendar_warning(today) is None


def test_the_banner_shows_on_the_office_pages(client, office):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)):
        client.force_login(office)
        page = client.get("/review/").content.decode()
    assert "2027年节假日安排尚未录入" in page
