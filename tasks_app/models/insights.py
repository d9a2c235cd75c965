"""What the dashboards read beyond reports: quarterly figures of headline indicators, and the
switch of the public progress page."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from tasks_app.models.indicators import Indicator

QUARTER_NAMES = "一二三四"


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    next_first = dt.date(year + (month == 12), month % 12 + 1, 1)
    return next_first - dt.timedelta(days=1)


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}年第{QUARTER_NAMES[quarter - 1]}季度"


class IndicatorFigure(models.Model):
    """The actual value of a headline indicator at the end of a quarter, filed by its responsible unit.

    One row per indicator and quarter: a correction overwrites the value and the history keeps
    the earlier one (statistics are revised: 快报 first, then 核定).
    """

    class Quarter(models.IntegerChoices):
        Q1 = 1, "第一季度"
        Q2 = 2, "第二季度"
        Q3 = 3, "第三季度"
        Q4 = 4, "第四季度"

    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="figures")
    year = models.PositiveIntegerField("年份")
    quarter = models.PositiveSmallIntegerField("季度", choices=Quarter.choices)
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    note = models.TextField("数据说明", blank=True, help_text="如“快报数”“统计部门核定数”，或口径变化的说明。")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filed_at = models.DateTimeField("首次填报时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"], verbose_name="指标数值修改记录")

    class Meta:
        verbose_name = "指标季度数值"
        verbose_name_plural = "指标季度数值"
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "quarter"], name="unique_indicator_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.label} {self.value}{self.indicator.unit_of_measure}"

    @property
    def label(self) -> str:
        return quarter_label(self.year, self.quarter)

    @property
    def end_date(self) -> dt.date:
        return quarter_end(self.year, self.quarter)


class PublicPageSettings(models.Model):
    """The switch of the public progress page (公开进度): one row, off until an admin turns it on."""

    SINGLETON_PK = 1

    enabled = models.BooleanField(
        "对公众开放",
        default=False,
        help_text="开启后，无需登录即可查看方案、各举措推进状态和督查室标记为公开的进展摘要。",
    )
    title = models.CharField("页面标题", max_length=100, default="重点任务推进情况")
    intro = models.TextField("页面说明", blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "公开进度页设置"
        verbose_name_plural = "公开进度页设置"

    def __str__(self) -> str:
        return "公开进度页：" + ("已开放" if self.enabled else "未开放")

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> PublicPageSettings:
        """The saved settings, or the defaults (closed) when nobody has saved any: reading never writes."""
        return cls.objects.filter(pk=cls.SINGLETON_PK).first() or cls(pk=cls.SINGLETON_PK)
