"""Reporting: periods, one report per measure × responsible unit × period, evidence, review.

A period opens by creating a ``Report`` in state 待填报 for every measure of the
current list and every unit responsible for it (a collective such as 各旗市区
stands for its members). The unit fills it in, saves drafts, submits; the
supervision office accepts it or returns it with a comment. Every change is
kept (django-simple-history) and every step of the review is a ``ReportEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from tasks_app.models.plan import Measure, Phase, Plan
from tasks_app.models.units import Unit


class PeriodKind(models.TextChoices):
    MONTH = "month", "月度"
    QUARTER = "quarter", "季度"
    HALF_YEAR = "half_year", "半年"
    YEAR = "year", "年度"


class Period(models.Model):
    """A reporting period of a plan: 2026年11月, 2026年第四季度 …"""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="periods")
    cadence = models.ForeignKey(
        "Cadence", verbose_name="报送节奏", on_delete=models.PROTECT, related_name="periods", null=True, blank=True
    )
    kind = models.CharField("类型", max_length=10, choices=PeriodKind.choices)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("截止日期")
    due_date = models.DateField("报送截止日")
    label = models.CharField("名称", max_length=80)
    opened_at = models.DateTimeField("开启时间", auto_now_add=True)
    collected_at = models.DateTimeField("截止汇总时间", null=True, blank=True)

    class Meta:
        verbose_name = "报送周期"
        verbose_name_plural = "报送周期"
        ordering = ["-start_date", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "cadence", "start_date"], name="unique_period"),
            # Periods opened by hand before any cadence existed stay unique per kind.
            models.UniqueConstraint(
                fields=["plan", "kind", "start_date"],
                condition=models.Q(cadence__isnull=True),
                name="unique_period_without_cadence",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    ON_TRACK = "on_track", "正常推进"
    BEHIND = "behind", "滞后"
    DONE = "done", "已完成"


class ReportState(models.TextChoices):
    REQUESTED = "requested", "待填报"
    DRAFT = "draft", "草稿"
    PENDING_APPROVAL = "pending_approval", "待单位负责人审核"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已通过"


# States in which the unit may still edit its report.
EDITABLE_STATES = (ReportState.REQUESTED, ReportState.DRAFT, ReportState.RETURNED)
# States that count as "filed" for deadlines and discipline.
FILED_STATES = (ReportState.SUBMITTED, ReportState.ACCEPTED)


class ReportQuerySet(models.QuerySet):
    def awaited(self):
        """Reports still expected from their unit: not filed, on a measure still in the list.
        A revision that archives a task stops its reminders; what was filed stays readable."""
        return self.filter(
            state__in=(*EDITABLE_STATES, ReportState.PENDING_APPROVAL),
            measure__archived_in__isnull=True,
            measure__task__archived_in__isnull=True,
        )


class Report(models.Model):
    """One unit's report on one measure for one period."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头单位（汇总）"
        SUPPORT = "support", "责任单位/地区"

    period = models.ForeignKey(Period, verbose_name="周期", on_delete=models.PROTECT, related_name="reports")
    measure = models.ForeignKey(Measure, verbose_name="关键举措", on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name="填报单位", on_delete=models.PROTECT, related_name="reports")
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    via = models.ForeignKey(
        Unit,
        verbose_name="承担方式",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="通过集合单位（如“各旗市区”）承担时，为该集合单位。",
    )
    due_date = models.DateField("截止日")
    state = models.CharField("状态", max_length=20, choices=ReportState.choices, default=ReportState.REQUESTED)
    overdue_since = models.DateField(
        "逾期日期", null=True, blank=True, help_text="截止时仍未报送，由截止汇总任务标记。"
    )

    progress_status = models.CharField("推进状态", max_length=20, choices=ProgressStatus.choices, blank=True)
    progress = models.TextField("工作进展", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步计划", blank=True)
    # Written by the supervision office, never by the unit: the only text of a report the
    # public progress page shows. Empty means nothing of this report is public.
    public_summary = models.TextField(
        "公开进展摘要",
        blank=True,
        help_text="督查室摘录的、可在公开进度页展示的进展；不得含存在问题、人名等内部信息。不填则不公开。",
    )

    version = models.PositiveIntegerField("版本", default=0, help_text="每次保存加一，防止两人同时编辑时互相覆盖。")
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="最后修改人", on_delete=models.SET_NULL, null=True, blank=True
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], verbose_name="报告修改记录")

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["-period__start_date", "measure__task__number", "measure__position", "role", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["period", "measure", "unit"], name="unique_report_per_unit"),
        ]
        indexes = [
            # 我的任务: a unit's reports by state, and its last filing per measure (index-only).
            models.Index(fields=["unit", "state", "measure", "period"], name="report_unit_state"),
            models.Index(fields=["period", "state"], name="report_period_state"),
            # A period's lead reports, read index-only for every measure's state and light at once
            # (tasks_app/measure_status.py: the dashboard, its 12-period trend, the ledger, the API).
            models.Index(
                fields=["period", "measure"],
                include=["state", "progress_status", "due_date"],
                condition=models.Q(role="lead"),
                name="report_lead_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.label} {self.measure.label} {self.unit.name}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_filed(self) -> bool:
        return self.state in FILED_STATES


class ReportFigure(models.Model):
    """A figure filed for a quantitative target of the measure (储能规模 … 万千瓦)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="figures")
    metric = models.ForeignKey("TargetMetric", on_delete=models.PROTECT, related_name="figures")
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "填报数值"
        verbose_name_plural = "填报数值"
        constraints = [models.UniqueConstraint(fields=["report", "metric"], name="unique_report_metric")]

    def __str__(self) -> str:
        return f"{self.metric.name} {self.value}{self.metric.unit_of_measure}"


class TargetMetric(models.Model):
    """A quantitative target found in a phase target text: 储能规模达到300万千瓦."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="metrics")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField("指标", max_length=60)
    unit_of_measure = models.CharField("计量单位", max_length=20)
    target_value = models.DecimalField("目标值", max_digits=14, decimal_places=2)
    source_text = models.CharField("原文", max_length=300)

    class Meta:
        verbose_name = "量化目标"
        verbose_name_plural = "量化目标"
        ordering = ["measure", "phase__ordinal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "phase", "name"], name="unique_metric_per_phase"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.target_value}{self.unit_of_measure}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # Never the uploader's file name on disk: only the checksum and the checked type.
    return f"evidence/{instance.report.period_id}/{instance.sha256}.{instance.extension}"


class Evidence(models.Model):
    """An evidence file of a report; served only to users allowed to see the report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField("文件名", max_length=255)
    extension = models.CharField("类型", max_length=10)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class ReportEvent(models.Model):
    """A step in a report's life: saved, submitted, approved, returned (with the comment), accepted."""

    class Action(models.TextChoices):
        SAVE = "save", "保存草稿"
        SUBMIT = "submit", "提交"
        SEND_FOR_APPROVAL = "send_for_approval", "送单位负责人审核"
        APPROVE = "approve", "单位负责人同意报送"
        RETURN = "return", "退回"
        ACCEPT = "accept", "审核通过"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "报告流转记录"
        verbose_name_plural = "报告流转记录"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


class CollectiveDesignation(models.Model):
    """Which members a collective (相关旗市区 …) stands for on one measure.

    Kept apart from the measure's unit links so that a revision rewriting those
    links does not lose what the office designated.
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="designations")
    collective = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="designations")
    members = models.ManyToManyField(Unit, related_name="+", verbose_name="指定单位")

    class Meta:
        verbose_name = "集合单位指定"
        verbose_name_plural = "集合单位指定"
        constraints = [
            models.UniqueConstraint(fields=["measure", "collective"], name="unique_designation"),
        ]

    def __str__(self) -> str:
        return f"{self.measure.label} {self.collective.name}"
