"""China's working-day calendar: holidays and the weekend days that become working days (调休).

Only exceptions to Monday-Friday are stored. A year is trusted once it has a
``CalendarYear`` row (seeded from the chinesecalendar package for the years it
knows, or entered by the admin when the State Council announces the next year);
for any other year the calendar falls back to Monday-Friday and warns.
"""

from __future__ import annotations

from django.db import models


class CalendarSource(models.TextChoices):
    PACKAGE = "package", "chinesecalendar 程序包"
    ADMIN = "admin", "管理员录入"


class CalendarDay(models.Model):
    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否上班", help_text="勾选：周末调休上班；不勾选：法定节假日放假。")
    name = models.CharField("节日", max_length=50, blank=True)
    source = models.CharField("来源", max_length=10, choices=CalendarSource.choices, default=CalendarSource.ADMIN)

    class Meta:
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'} {self.name}"


class CalendarYear(models.Model):
    """A year whose holiday arrangement has been entered (国务院办公厅通知已发布)."""

    year = models.PositiveIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=10, choices=CalendarSource.choices, default=CalendarSource.ADMIN)
    note = models.CharField("依据", max_length=200, blank=True, help_text="如：国办发明电〔2026〕X号")

    class Meta:
        verbose_name = "已公布的年度节假日安排"
        verbose_name_plural = "已公布的年度节假日安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年"
