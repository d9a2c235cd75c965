"""Circulars (季通报) and annual summaries (年总结): drafts, issued versions, their files and rules.

A ``Circular`` row is one version of one document. A draft holds the snapshot compiled from the
reports (``snapshot``: numbers, quotes, the annex table, frozen at ``snapshot_at``) and the
narrative the office writes. Issuing gives it a number and a date and stores the hash of what was
issued; from then on the row is never edited — a correction is a new version (``corrects``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class CircularKind(models.TextChoices):
    QUARTERLY = "quarterly", "季度通报"
    ANNUAL = "annual", "年度总结"


class CircularSettings(models.Model):
    """What the office sets once per plan: the issuer, the document numbers, who is named, how units
    are scored for the annual assessment (年度绩效考核)."""

    plan = models.OneToOneField(
        "tasks_app.Plan", verbose_name="方案", on_delete=models.CASCADE, related_name="circular_settings"
    )
    issuer = models.CharField("发文机关", max_length=100, default="呼伦贝尔市人民政府督查室")
    number_prefix = models.CharField(
        "发文字号前缀", max_length=20, default="呼督通", help_text="文号形如“呼督通〔2026〕3号”，序号按年连续编排。"
    )
    addressees = models.CharField("主送机关", max_length=200, default="各旗市区人民政府，市直各有关部门，各有关单位：")
    name_if_missing_at_least = models.PositiveSmallIntegerField(
        "未报送达到几项即点名",
        default=1,
        help_text="本季度（年度）未报送的报告达到此数即点名通报；0 表示不因未报送点名。",
    )
    name_if_late_at_least = models.PositiveSmallIntegerField(
        "逾期报送达到几项即点名", default=1, help_text="逾期报送的报告达到此数即点名通报；0 表示不因逾期点名。"
    )
    late_grace_workdays = models.PositiveSmallIntegerField(
        "逾期宽限（工作日）", default=0, help_text="逾期不超过此工作日数的报告不计入点名。"
    )
    score_weight_on_time = models.PositiveSmallIntegerField("考核权重：按时报送率", default=60)
    score_weight_not_returned = models.PositiveSmallIntegerField("考核权重：报告一次通过率", default=20)
    score_weight_targets = models.PositiveSmallIntegerField("考核权重：牵头举措完成或正常推进率", default=20)

    class Meta:
        verbose_name = "通报设置"
        verbose_name_plural = "通报设置"

    def __str__(self) -> str:
        return f"{self.plan}：通报设置"

    def naming_rule_text(self) -> str:
        parts = []
        if self.name_if_missing_at_least:
            parts.append(f"未报送 {self.name_if_missing_at_least} 项及以上")
        if self.name_if_late_at_least:
            grace = f"（逾期超过 {self.late_grace_workdays} 个工作日）" if self.late_grace_workdays else ""
            parts.append(f"逾期报送{grace} {self.name_if_late_at_least} 项及以上")
        return "，或".join(parts) + "的单位予以点名通报" if parts else "不点名通报"


class Circular(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "已签发"

    class CompileState(models.TextChoices):
        IDLE = "idle", "已汇总"
        QUEUED = "queued", "排队中"
        RUNNING = "running", "汇总中"
        FAILED = "failed", "汇总失败"

    plan = models.ForeignKey("tasks_app.Plan", verbose_name="方案", on_delete=models.PROTECT, related_name="circulars")
    kind = models.CharField("类型", max_length=10, choices=CircularKind.choices)
    year = models.PositiveIntegerField("年份")
    quarter = models.PositiveSmallIntegerField("季度", default=0, help_text="年度总结为 0。")
    version = models.PositiveSmallIntegerField("版本", default=1)
    corrects = models.ForeignKey(
        "self",
        verbose_name="更正的通报",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)

    title = models.CharField("标题", max_length=200)
    opening = models.TextField("开头", blank=True)
    highlights = models.TextField("工作亮点", blank=True)
    requirements = models.TextField("下步工作要求", blank=True)
    narrative_edited = models.BooleanField("叙述已由督查室修改", default=False)

    snapshot = models.JSONField("汇总快照", default=dict, blank=True)
    snapshot_at = models.DateTimeField("快照时间", null=True, blank=True)
    compile_state = models.CharField("汇总状态", max_length=10, choices=CompileState.choices, default="queued")
    compile_stage = models.CharField("汇总进度", max_length=50, blank=True)
    compile_progress = models.PositiveSmallIntegerField("汇总进度（%）", default=0)
    compile_error = models.TextField("汇总错误", blank=True)
    compile_heartbeat_at = models.DateTimeField("汇总心跳", null=True, blank=True)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    number = models.CharField("发文字号", max_length=40, blank=True)
    sequence = models.PositiveIntegerField("文号序号", null=True, blank=True)
    issued_on = models.DateField("成文日期", null=True, blank=True)
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    content_sha256 = models.CharField("内容校验和（SHA-256）", max_length=64, blank=True)
    named_units = models.ManyToManyField(
        "tasks_app.Unit", verbose_name="点名单位", blank=True, related_name="named_in_circulars"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "通报"
        verbose_name_plural = "通报"
        ordering = ["-year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "year", "quarter", "version"], name="unique_circular"),
            # One draft at a time per quarter (year): the scheduled job and the office never make two.
            models.UniqueConstraint(
                fields=["plan", "kind", "year", "quarter"], condition=Q(status="draft"), name="one_circular_draft"
            ),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="unique_circular_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '草稿'} {self.title}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def is_compiling(self) -> bool:
        return self.compile_state in (self.CompileState.QUEUED, self.CompileState.RUNNING)

    @property
    def period_label(self) -> str:
        if self.kind == CircularKind.ANNUAL:
            return f"{self.year}年度"
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"


class CircularFile(models.Model):
    """The DOCX or PDF of an issued circular, as rendered once after issuing: downloads are these bytes."""

    class Format(models.TextChoices):
        DOCX = "docx", "Word（DOCX）"
        PDF = "pdf", "PDF"
        SCORES = "xlsx", "考核评分表（XLSX）"

    circular = models.ForeignKey(Circular, on_delete=models.CASCADE, related_name="files")
    format = models.CharField("格式", max_length=5, choices=Format.choices)
    data = models.BinaryField("内容")
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("校验和（SHA-256）", max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "通报文件"
        verbose_name_plural = "通报文件"
        constraints = [models.UniqueConstraint(fields=["circular", "format"], name="one_file_per_format")]

    def __str__(self) -> str:
        return f"{self.circular} {self.get_format_display()}"
