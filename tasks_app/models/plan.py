"""The plan as data: parts, sectors, tasks, measures, phases and their targets.

Tasks and measures keep their identity across revisions (a task by its number,
a measure by task number + position), so reports filed against them stay
attached when a revision rewords them. A task a revision drops is archived,
never deleted; each revision keeps a snapshot of the whole list as it stood.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q

from tasks_app.models.units import Unit


class Plan(models.Model):
    code = models.SlugField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=300)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("截止日期")
    is_default = models.BooleanField("当前默认方案", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "方案"
        verbose_name_plural = "方案"
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_plan"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def latest_revision(self) -> PlanRevision | None:
        return self.revisions.order_by("-number").first()


class PlanRevision(models.Model):
    """One applied import of the task list: who, when, from which file, what changed."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("修订号")
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="导入人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField("说明", blank=True)
    source_name = models.CharField("来源文件名", max_length=255, blank=True)
    source_file = models.FileField("来源文件", upload_to="revisions/%Y/", blank=True)
    source_sha256 = models.CharField("文件校验和（SHA-256）", max_length=64, blank=True)
    diff = models.JSONField("变更内容", default=dict)
    snapshot = models.JSONField("修订后的完整清单", default=dict)

    class Meta:
        verbose_name = "清单修订"
        verbose_name_plural = "清单修订"
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_revision_number"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.name} 第{self.number}版"


class Part(models.Model):
    """板块: 一、推进五业协同… The heading is kept verbatim; identity is the heading."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="parts")
    ordinal = models.PositiveIntegerField("顺序")
    heading = models.CharField("标题", max_length=300)

    class Meta:
        verbose_name = "板块"
        verbose_name_plural = "板块"
        ordering = ["plan", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["plan", "heading"], name="unique_part_heading")]

    def __str__(self) -> str:
        return self.heading


class Sector(models.Model):
    """领域: （一）煤炭产业：稳量提质与绿色智能并进."""

    part = models.ForeignKey(Part, verbose_name="板块", on_delete=models.CASCADE, related_name="sectors")
    ordinal = models.PositiveIntegerField("顺序")
    heading = models.CharField("标题", max_length=300)

    class Meta:
        verbose_name = "领域"
        verbose_name_plural = "领域"
        ordering = ["part__ordinal", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["part", "heading"], name="unique_sector_heading")]

    def __str__(self) -> str:
        return self.heading

    @property
    def short_name(self) -> str:
        """煤炭产业 out of （一）煤炭产业：稳量提质与绿色智能并进."""
        text = re.sub(r"^[（(][一二三四五六七八九十]+[）)]", "", self.heading)
        return re.split(r"[：:]", text, maxsplit=1)[0]


class Phase(models.Model):
    """A phase column of the list: 2026-2027年（筑基期）."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="phases")
    ordinal = models.PositiveIntegerField("顺序")
    name = models.CharField("名称", max_length=50)
    header = models.CharField("列标题", max_length=100)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("截止日期")

    class Meta:
        verbose_name = "阶段"
        verbose_name_plural = "阶段"
        ordering = ["plan", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["plan", "ordinal"], name="unique_phase_ordinal")]

    def __str__(self) -> str:
        return self.header

    def contains(self, day) -> bool:
        return self.start_date <= day <= self.end_date


class ArchivableQuerySet(models.QuerySet):
    def current(self):
        return self.filter(archived_in__isnull=True)

    def archived(self):
        return self.filter(archived_in__isnull=False)


class Task(models.Model):
    """重点任务: number 1-48 and its title, verbatim."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveIntegerField("序号")
    title = models.TextField("重点任务")
    sector = models.ForeignKey(Sector, verbose_name="领域", on_delete=models.PROTECT, related_name="tasks")
    introduced_in = models.ForeignKey(
        PlanRevision, verbose_name="列入版本", on_delete=models.PROTECT, related_name="+", null=True
    )
    archived_in = models.ForeignKey(
        PlanRevision,
        verbose_name="归档版本",
        on_delete=models.PROTECT,
        related_name="archived_tasks",
        null=True,
        blank=True,
        help_text="被某次修订移出清单的任务：不再催报，历史报告仍可查阅。",
    )

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        verbose_name = "重点任务"
        verbose_name_plural = "重点任务"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_task_number")]

    def __str__(self) -> str:
        return f"{self.number}.{self.title}"

    @property
    def is_archived(self) -> bool:
        return self.archived_in_id is not None


class Measure(models.Model):
    """关键举措: one or more per task, each with its own units and phase targets."""

    task = models.ForeignKey(Task, verbose_name="重点任务", on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveIntegerField("举措序号")
    # "5" for a task's only measure, "21-2" for the second of several; kept by the importer.
    code = models.CharField("编号", max_length=20)
    text = models.TextField("关键举措")
    lead_units_text = models.TextField("牵头单位（原文）", blank=True)
    support_units_text = models.TextField("责任单位/地区（原文）", blank=True)
    units = models.ManyToManyField(Unit, through="MeasureUnit", related_name="measures", verbose_name="单位")
    introduced_in = models.ForeignKey(
        PlanRevision, verbose_name="列入版本", on_delete=models.PROTECT, related_name="+", null=True
    )
    archived_in = models.ForeignKey(
        PlanRevision,
        verbose_name="归档版本",
        on_delete=models.PROTECT,
        related_name="archived_measures",
        null=True,
        blank=True,
    )

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        verbose_name = "关键举措"
        verbose_name_plural = "关键举措"
        ordering = ["task__plan", "task__number", "position"]
        permissions = [("report_measure", "填报该举措"), ("lead_measure", "牵头汇总该举措")]
        constraints = [models.UniqueConstraint(fields=["task", "position"], name="unique_measure_position")]

    def __str__(self) -> str:
        return f"{self.label} {self.text[:30]}"

    @staticmethod
    def code_for(task_number: int, position: int, siblings: int) -> str:
        return str(task_number) if siblings <= 1 else f"{task_number}-{position}"

    @property
    def label(self) -> str:
        return f"任务{self.code}"

    @property
    def is_archived(self) -> bool:
        return self.archived_in_id is not None or self.task.archived_in_id is not None

    def lead_units(self) -> list[Unit]:
        return [mu.unit for mu in self._unit_links() if mu.role == MeasureUnit.Role.LEAD]

    def support_units(self) -> list[Unit]:
        return [mu.unit for mu in self._unit_links() if mu.role == MeasureUnit.Role.SUPPORT]

    def _unit_links(self) -> list[MeasureUnit]:
        # Works with prefetch_related("unit_links__unit") without further queries.
        return sorted(self.unit_links.all(), key=lambda mu: (mu.role != MeasureUnit.Role.LEAD, mu.order))


class MeasureUnit(models.Model):
    """A unit's place on a measure: lead (ordered as written) or supporting."""

    class Role(models.TextChoices):
        LEAD = "lead", "牵头单位"
        SUPPORT = "support", "责任单位/地区"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="measure_links")
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    order = models.PositiveIntegerField("顺序")

    class Meta:
        verbose_name = "举措单位"
        verbose_name_plural = "举措单位"
        ordering = ["measure", "role", "order"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "unit", "role"], name="unique_measure_unit_role"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name}（{self.get_role_display()}）"


# A target cell numbers its items as "1." "2." or "一是" "二是"; each item starts a line
# or follows the end of a sentence.
ITEM_START = re.compile(r"(?:^|(?<=[\n。；;]))\s*(?=(?:\d+[.．、](?!\d)|[一二三四五六七八九十]+是))")


def split_target_items(text: str) -> list[str]:
    """Split a phase target cell into its numbered items, keeping each item verbatim."""
    parts = [part.strip() for part in ITEM_START.split(text) if part.strip()]
    return parts or ([text.strip()] if text.strip() else [])


class PhaseTarget(models.Model):
    """A measure's target for one phase, verbatim as the plan states it."""

    measure = models.ForeignKey(Measure, verbose_name="关键举措", on_delete=models.CASCADE, related_name="targets")
    phase = models.ForeignKey(Phase, verbose_name="阶段", on_delete=models.CASCADE, related_name="targets")
    text = models.TextField("目标")

    class Meta:
        verbose_name = "阶段目标"
        verbose_name_plural = "阶段目标"
        ordering = ["measure", "phase__ordinal"]
        constraints = [models.UniqueConstraint(fields=["measure", "phase"], name="unique_measure_phase_target")]

    def __str__(self) -> str:
        return f"{self.measure.label} {self.phase.name}"

    @property
    def items(self) -> list[str]:
        return split_target_items(self.text)
