"""Working days on China's calendar: deadlines, reminder offsets and lateness are counted in them.

``WorkCalendar.load()`` reads the stored exceptions once (two queries); every
answer after that is arithmetic. For a year nobody has entered yet the calendar
counts Monday-Friday and says so (``unannounced_years``), so a 2030 deadline is
computed instead of crashing, and the admin is warned to enter the year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from tasks_app.models.calendar import CalendarDay, CalendarYear

ONE_DAY = dt.timedelta(days=1)
MAX_SCAN_DAYS = 400  # no stretch of days off is this long; guards against a calendar entered wrongly


@dataclass
class WorkCalendar:
    exceptions: dict[dt.date, bool] = field(default_factory=dict)
    known_years: set[int] = field(default_factory=set)

    @classmethod
    def load(cls) -> WorkCalendar:
        return cls(
            exceptions=dict(CalendarDay.objects.values_list("date", "is_workday")),
            known_years=set(CalendarYear.objects.values_list("year", flat=True)),
        )

    def is_announced(self, year: int) -> bool:
        return year in self.known_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def shift(self, day: dt.date, workdays: int) -> dt.date:
        """The working day ``workdays`` after ``day`` (before it if negative); 0 is ``day``
        itself if it is a working day, else the next one."""
        step = ONE_DAY if workdays >= 0 else -ONE_DAY
        remaining = abs(workdays)
        current = day
        if workdays == 0:
            return self.on_or_after(day)
        for _ in range(MAX_SCAN_DAYS * max(1, remaining)):
            current += step
            if self.is_workday(current):
                remaining -= 1
                if remaining == 0:
                    return current
        raise ValueError(f"{day} 前后 {MAX_SCAN_DAYS} 天内找不到工作日，请检查节假日设置。")

    def on_or_after(self, day: dt.date) -> dt.date:
        return day if self.is_workday(day) else self.shift(day, 1)

    def on_or_before(self, day: dt.date) -> dt.date:
        return day if self.is_workday(day) else self.shift(day, -1)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end is earlier)."""
        if end < start:
            return -self.workdays_between(end, start)
        count, current = 0, start
        while current < end:
            current += ONE_DAY
            count += self.is_workday(current)
        return count

    def unannounced_years(self, *years: int) -> list[int]:
        return sorted({year for year in years if not self.is_announced(year)})
