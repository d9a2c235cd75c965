"""Headline indicators: the plan's measurable goals (规上工业总产值 1500亿元 by 2030 …)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from tasks_app.models.plan import Plan
from tasks_app.models.units import Unit


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField("代码", max_length=60)
    ordinal = models.PositiveIntegerField("顺序", default=0)
    name = models.CharField("指标", max_length=100)
    unit_of_measure = models.CharField("计量单位", max_length=20)
    baseline_value = models.DecimalField("基期值", max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_label = models.CharField("基期", max_length=50, default="“十四五”期末")
    baseline_note = models.TextField(
        "基期说明", blank=True, help_text="基期值的来源：方案原文未给出绝对值时，写明推算依据，待统计部门核定。"
    )
    source_text = models.TextField("方案原文", blank=True)
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name="填报单位",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )

    class Meta:
        verbose_name = "主要指标"
        verbose_name_plural = "主要指标"
        ordering = ["plan", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_indicator_code")]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """A milestone of an indicator: the value to reach by the end of ``year``."""

    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveIntegerField("年份")
    # The plan states a target as a value (1500亿元), a growth on the baseline (+30%)
    # or an increase (净增20户); exactly one of the three is set.
    value = models.DecimalField("目标值", max_digits=14, decimal_places=2, null=True, blank=True)
    growth_pct = models.DecimalField("较基期增长（%）", max_digits=8, decimal_places=2, null=True, blank=True)
    increase = models.DecimalField("较基期净增", max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.CharField("目标原文", max_length=300, help_text="方案中的表述，如“较‘十四五’期末增长30%以上”。")

    class Meta:
        verbose_name = "指标目标"
        verbose_name_plural = "指标目标"
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="unique_indicator_year")]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}年 {self.text}"

    @property
    def target_value(self) -> Decimal | None:
        """The value to reach, worked out from the baseline where the plan states a change."""
        if self.value is not None:
            return self.value
        baseline = self.indicator.baseline_value
        if baseline is None:
            return None
        if self.growth_pct is not None:
            return (baseline * (1 + self.growth_pct / 100)).quantize(Decimal("0.01"))
        if self.increase is not None:
            return baseline + self.increase
        return None
