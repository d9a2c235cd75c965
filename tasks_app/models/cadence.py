"""Cadences: the rhythm of reporting (月调度、季通报、年总结 and the task-specific ones).

A cadence says which measures it concerns (all, or some tasks), how long its
periods are, in which months they run (task 28: only the first quarter), when a
period opens, when it is due, and the ladder of reminders around the due date.
The office edits all of it in the admin.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

from tasks_app.models.plan import Plan, Task
from tasks_app.models.reports import PeriodKind


class DueRule(models.TextChoices):
    DAY_OF_LAST_MONTH = "day_of_last_month", "周期最后一个月的第 N 日，遇节假日提前到上一个工作日"
    WORKDAYS_AFTER_END = "workdays_after_end", "周期结束后第 N 个工作日"


class CadenceDocument(models.TextChoices):
    """The document compiled once a period of the cadence has been collected (values = circular kinds)."""

    NONE = "", "无"
    QUARTERLY_CIRCULAR = "quarterly", "季度通报（季通报）"
    ANNUAL_SUMMARY = "annual", "年度总结（年总结）"


class Cadence(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="cadences")
    code = models.SlugField("代码", max_length=40)
    name = models.CharField("名称", max_length=50)
    period_kind = models.CharField("周期", max_length=10, choices=PeriodKind.choices)
    tasks = models.ManyToManyField(
        Task, verbose_name="适用任务", blank=True, related_name="cadences", help_text="不选则适用于全部任务。"
    )
    months = models.CharField(
        "仅在以下月份开始的周期",
        max_length=40,
        blank=True,
        help_text="逗号分隔的月份，如“1”表示只在第一季度；留空表示每个周期。",
    )
    due_rule = models.CharField("截止规则", max_length=30, choices=DueRule.choices, default=DueRule.DAY_OF_LAST_MONTH)
    due_day = models.PositiveSmallIntegerField("第 N 日", default=25)
    due_workdays = models.PositiveSmallIntegerField("第 N 个工作日", default=5)
    open_days_ahead = models.PositiveSmallIntegerField("提前开启天数", default=3)
    is_active = models.BooleanField("启用", default=True)
    document = models.CharField(
        "截止汇总后起草",
        max_length=10,
        choices=CadenceDocument.choices,
        blank=True,
        default="",
        help_text="该节奏的周期截止汇总后（次日晨），自动汇总起草的文书，供督查室修改签发。",
    )
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "报送节奏"
        verbose_name_plural = "报送节奏"
        ordering = ["plan", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_cadence_code")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.months:
            try:
                self.month_list()
            except ValueError as exc:
                raise ValidationError({"months": "月份应为 1-12 的数字，用逗号分隔。"}) from exc
        if self.due_rule == DueRule.DAY_OF_LAST_MONTH and not 1 <= self.due_day <= 31:
            raise ValidationError({"due_day": "日期应在 1 到 31 之间。"})

    def month_list(self) -> list[int]:
        months = [int(part) for part in self.months.replace("，", ",").split(",") if part.strip()]
        if any(not 1 <= m <= 12 for m in months):
            raise ValueError(self.months)
        return months

    def runs_in(self, period_start: dt.date) -> bool:
        return not self.months or period_start.month in self.month_list()

    def due_date(self, start: dt.date, end: dt.date, calendar) -> dt.date:
        """The deadline of the period ``start``..``end`` on ``calendar`` (a WorkCalendar)."""
        if self.due_rule == DueRule.WORKDAYS_AFTER_END:
            return calendar.shift(end, self.due_workdays)
        last_month_first = end.replace(day=1)
        day = min(self.due_day, end.day)
        return calendar.on_or_before(last_month_first.replace(day=day))


class ReminderKind(models.TextChoices):
    REMIND = "remind", "提醒"
    DUE = "due", "到期提醒"
    CHASE = "chase", "催办"
    NOTICE = "notice", "督办单"


class ReminderStep(models.Model):
    """One rung of a cadence's reminder ladder, counted in working days from the due date."""

    cadence = models.ForeignKey(Cadence, on_delete=models.CASCADE, related_name="reminder_steps")
    offset_workdays = models.SmallIntegerField(
        "相对截止日（工作日）", help_text="-3 为截止前3个工作日，0 为截止当日，1 为逾期1个工作日。"
    )
    kind = models.CharField("类型", max_length=10, choices=ReminderKind.choices)
    to_reporters = models.BooleanField("通知填报员", default=True)
    to_unit_head = models.BooleanField("通知单位负责人", default=False)
    to_office = models.BooleanField("通知督查室", default=False)

    class Meta:
        verbose_name = "提醒梯次"
        verbose_name_plural = "提醒梯次"
        ordering = ["cadence", "offset_workdays"]
        constraints = [models.UniqueConstraint(fields=["cadence", "offset_workdays"], name="unique_reminder_step")]

    def __str__(self) -> str:
        sign = "T" if self.offset_workdays == 0 else f"T{self.offset_workdays:+d}"
        return f"{sign} {self.get_kind_display()}"

    @property
    def code(self) -> str:
        return f"{self.kind}{self.offset_workdays:+d}"
