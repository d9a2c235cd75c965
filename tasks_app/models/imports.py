"""Uploaded files waiting to be imported, and the imports they become.

django-import-export keeps an upload between the preview and the confirm step
in a temporary folder of the web server that received it; on several servers
the confirm may land on another one and find nothing. The upload is kept here,
in the database every server shares, together with what its preview showed
(so the confirm can check it applies exactly that) and, for a task list, the
progress and outcome of the background job that reads and applies it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from tasks_app.models.plan import Plan, PlanRevision


def new_token() -> str:
    return uuid.uuid4().hex


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        TASKLIST = "tasklist", "任务清单"
        UNITS = "units", "单位目录"

    class State(models.TextChoices):
        UPLOADED = "uploaded", "已上传"
        QUEUED = "queued", "排队中"
        RUNNING = "running", "处理中"
        PREVIEWED = "previewed", "待确认"
        INVALID = "invalid", "有错误，未导入"
        APPLIED = "applied", "已导入"
        UNCHANGED = "unchanged", "无变化"
        FAILED = "failed", "导入失败，未写入"

    class Step(models.TextChoices):
        PREVIEW = "preview", "试导入（预览）"
        APPLY = "apply", "正式导入"

    # Names the upload in forms and URLs; not guessable, unlike the row id.
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    file_name = models.CharField("文件名", max_length=255)
    data = models.BinaryField("文件内容", editable=False)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    sha256 = models.CharField("校验和（SHA-256）", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    # For a task list: where it goes and how (the form's choices, fixed at upload).
    plan = models.ForeignKey(
        Plan, verbose_name="方案", on_delete=models.CASCADE, null=True, blank=True, related_name="import_jobs"
    )
    plan_name = models.CharField("新方案名称", max_length=300, blank=True)
    create_units = models.BooleanField("自动新建未知单位", default=False)
    note = models.TextField("修订说明", blank=True)

    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.UPLOADED)
    step = models.CharField("步骤", max_length=10, choices=Step.choices, default=Step.PREVIEW)
    preview = models.JSONField("预览结果", default=dict, blank=True)
    problems = models.JSONField("导入时发现的问题", default=list, blank=True)
    base_revision = models.PositiveIntegerField("预览所依据的版本", null=True, blank=True)
    progress_stage = models.CharField("进度阶段", max_length=20, blank=True)
    progress_done = models.PositiveIntegerField("已处理", default=0)
    progress_total = models.PositiveIntegerField("共计", default=0)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进度时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    revision = models.ForeignKey(
        PlanRevision, verbose_name="生成的版本", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"
        ordering = ["-created_at"]
        indexes = [
            # The purge of stale uploads looks for old rows still waiting for a confirm.
            models.Index(fields=["state", "created_at"], name="importjob_state_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.file_name}（{self.get_state_display()}）"

    @property
    def is_busy(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.APPLIED, self.State.UNCHANGED, self.State.FAILED, self.State.INVALID)

    @property
    def target_name(self) -> str:
        return self.plan.name if self.plan_id else self.plan_name
