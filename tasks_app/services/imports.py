"""Importing a task list in two steps: a preview, then exactly what the preview showed.

An ``ImportJob`` holds the upload (in the database, so any server can take the
confirm), the options chosen at upload, and what the preview found. Each step
runs in the request for a small file and in a Celery worker for a large one;
either way it goes through ``tasklist_job_run``, which claims the job first so
that a step runs once even if its message is delivered twice.

The confirm reads the stored file again and hands ``apply_tasklist`` the diff
the preview showed: if the list or the unit directory changed in between, the
diff differs and nothing is written. A failure at confirm (an unknown unit, a
database error) rolls the whole revision back and is recorded on the job.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from tasks_app.models import ImportJob, Plan
from tasks_app.services.plans import ImportPreview, plan_get_or_create, tasklist_preview
from tasks_app.tasklist.apply import apply_tasklist, sha256
from tasks_app.tasklist.problems import Problem, TaskListError
from tasks_app.tasklist.rows import STAGE_READ, STAGE_WRITE

logger = logging.getLogger(__name__)

# Uploads nobody confirmed are dropped after this long.
STALE_UPLOAD_AGE = dt.timedelta(days=2)
# A running step whose progress has not moved for this long died with its worker and may be taken over.
STALE_RUN_AGE = dt.timedelta(minutes=15)
PROGRESS_INTERVAL_S = 0.5
READING = STAGE_READ  # the one stage whose progress is counted in rows
STAGE_QUEUED = "排队"


class ImportJobError(Exception):
    """The step cannot be taken (wrong state, someone else's upload …); the message is for the user."""


def import_job_create(
    *,
    kind: str,
    file_name: str,
    data: bytes,
    user=None,
    plan: Plan | None = None,
    plan_name: str = "",
    create_units: bool = False,
    note: str = "",
) -> ImportJob:
    """Keep an upload until it is confirmed (or goes stale)."""
    import_jobs_purge()
    return ImportJob.objects.create(
        kind=kind,
        file_name=file_name,
        data=data,
        size=len(data),
        sha256=sha256(data),
        created_by=user if user is not None and user.is_authenticated else None,
        plan=plan,
        plan_name=plan_name,
        create_units=create_units,
        note=note,
    )


def import_jobs_purge(*, older_than: dt.timedelta = STALE_UPLOAD_AGE) -> int:
    """Drop uploads left unconfirmed; older finished jobs keep their record but not their bytes
    (an applied one's file is kept by its revision)."""
    old = ImportJob.objects.filter(created_at__lt=timezone.now() - older_than)
    waiting = (ImportJob.State.UPLOADED, ImportJob.State.PREVIEWED, ImportJob.State.INVALID)
    deleted, _ = old.filter(state__in=waiting).delete()
    old.filter(state__in=(ImportJob.State.FAILED, ImportJob.State.UNCHANGED)).update(data=b"")
    return deleted


def runs_in_background(job: ImportJob) -> bool:
    return job.size >= settings.TASKLIST_BACKGROUND_BYTES


def tasklist_job_start(*, job: ImportJob) -> ImportPreview | None:
    """Start the preview: now for a small file (the preview is returned), else in a worker."""
    if runs_in_background(job):
        _queue(job, ImportJob.Step.PREVIEW)
        return None
    return tasklist_job_run(job_id=job.pk, step=ImportJob.Step.PREVIEW, claim_from=ImportJob.State.UPLOADED)


def tasklist_job_confirm(*, job: ImportJob, user) -> None:
    """Apply what the preview showed: now for a small file, else in a worker."""
    if job.kind != ImportJob.Kind.TASKLIST:
        raise ImportJobError("这不是任务清单的导入。")
    if job.created_by_id != user.pk and not user.is_superuser:
        raise ImportJobError("只能确认自己上传的文件。")
    if job.state != ImportJob.State.PREVIEWED:
        raise ImportJobError(f"该导入当前状态为“{job.get_state_display()}”，不能确认。")
    if job.preview.get("is_empty"):
        raise ImportJobError("与当前清单完全一致，没有任何变化，无需导入。")
    if runs_in_background(job):
        _queue(job, ImportJob.Step.APPLY, claim_from=ImportJob.State.PREVIEWED)
        return
    ImportJob.objects.filter(pk=job.pk).update(step=ImportJob.Step.APPLY)
    tasklist_job_run(job_id=job.pk, step=ImportJob.Step.APPLY, claim_from=ImportJob.State.PREVIEWED)


def _queue(job: ImportJob, step: str, claim_from: str = ImportJob.State.UPLOADED) -> None:
    from tasks_app.tasks import tasklist_import_step

    updated = ImportJob.objects.filter(pk=job.pk, state=claim_from).update(
        state=ImportJob.State.QUEUED, step=step, progress_stage=STAGE_QUEUED, progress_done=0, progress_total=0
    )
    if not updated:
        raise ImportJobError("该导入已在处理中。")
    transaction.on_commit(lambda: tasklist_import_step.delay(job.pk, step))


def _claim(job_id: int, step: str, claim_from: str) -> bool:
    """Take the job for this step; False if another run has it or it is done."""
    now = timezone.now()
    fresh = ImportJob.objects.filter(pk=job_id, step=step, state=claim_from)
    if fresh.update(state=ImportJob.State.RUNNING, started_at=now, heartbeat_at=now):
        return True
    # acks_late redelivers the message of a worker that died mid-step: take over its stale run.
    abandoned = ImportJob.objects.filter(
        pk=job_id, step=step, state=ImportJob.State.RUNNING, heartbeat_at__lt=now - STALE_RUN_AGE
    )
    return bool(abandoned.update(started_at=now, heartbeat_at=now))


class _ProgressWriter:
    """Writes progress to the job row at most twice a second, outside any transaction.

    Only reading has a measurable size (rows); comparing and writing are short stages
    without one, so they change the stage and keep the row counts read so far."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.last = 0.0
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.last < PROGRESS_INTERVAL_S and done < total:
            return
        self.stage, self.last = stage, now
        fields = {"progress_stage": stage, "heartbeat_at": timezone.now()}
        if total:
            fields |= {"progress_done": done, "progress_total": total}
        try:
            ImportJob.objects.filter(pk=self.job_id).update(**fields)
        except DatabaseError:
            # Progress is shown, not relied on: a busy database must not fail the import itself.
            logger.warning("import job %s: progress not recorded", self.job_id, exc_info=True)


def tasklist_job_run(*, job_id: int, step: str, claim_from: str = ImportJob.State.QUEUED) -> ImportPreview | None:
    """Run one step of a task list import. Idempotent: a step already taken or done is skipped."""
    if not _claim(job_id, step, claim_from):
        logger.info("import job %s: step %s already taken or done", job_id, step)
        return None
    job = ImportJob.objects.select_related("plan").get(pk=job_id)
    progress = _ProgressWriter(job.pk)
    if step == ImportJob.Step.PREVIEW:
        return _run_preview(job, progress)
    _run_apply(job, progress)
    return None


def _read(job: ImportJob, progress) -> ImportPreview:
    return tasklist_preview(
        plan=job.plan,
        file_name=job.file_name,
        data=bytes(job.data),
        create_units=job.create_units,
        progress=progress,
    )


def preview_json(preview: ImportPreview) -> dict:
    """What a preview page shows, kept on the job: built from the ``TaskListDiff``."""
    read = preview.read
    tasklist = read.tasklist
    return {
        "ok": preview.ok,
        "layout": read.layout,
        "layout_label": read.layout_label,
        "sheet": read.sheet,
        "task_count": len(tasklist.tasks) if tasklist else 0,
        "measure_count": tasklist.measure_count if tasklist else 0,
        "problems": [problem.to_json() for problem in read.problems],
        "created_units": preview.created_units,
        "summary": preview.diff.summary() if preview.diff else "",
        "diff": preview.diff.to_json() if preview.diff else None,
        "is_empty": bool(preview.diff and preview.diff.is_empty and preview.plan and preview.plan.revisions.exists()),
    }


def _run_preview(job: ImportJob, progress) -> ImportPreview | None:
    try:
        preview = _read(job, progress)
    except Exception as exc:  # a bug, not bad input (reading never raises on bad input): record it
        logger.exception("import job %s: preview failed", job.pk)
        _finish(job, ImportJob.State.FAILED, problems=[_internal_problem(job, exc)])
        return None
    latest = job.plan.latest_revision if job.plan_id else None
    job.preview = preview_json(preview)
    job.base_revision = latest.number if latest else None
    _finish(
        job, ImportJob.State.PREVIEWED if preview.ok else ImportJob.State.INVALID, extra=["preview", "base_revision"]
    )
    return preview


def _run_apply(job: ImportJob, progress) -> None:
    try:
        preview = _read(job, progress)
        if preview.sha256 != job.sha256:
            raise TaskListError.single("确认导入的文件与预览时的文件不一致，请重新上传并预览。", job.file_name)
        preview.read.raise_for_errors()
        progress(STAGE_WRITE, 0, 0)
        with transaction.atomic():
            locked = ImportJob.objects.select_for_update().get(pk=job.pk)
            if locked.state != ImportJob.State.RUNNING:
                return
            plan = job.plan or plan_get_or_create(name=job.plan_name)
            revision, _ = apply_tasklist(
                plan=plan,
                tasklist=preview.read.tasklist,
                user=job.created_by,
                note=job.note,
                source_name=job.file_name,
                source_bytes=bytes(job.data),
                directory=preview.read.directory,
                expected_diff=job.preview.get("diff"),
            )
            # In the same transaction as the revision: a redelivered message finds the job done.
            job.plan, job.revision = plan, revision
            job.data = b""  # the revision keeps the file
            _finish(
                job,
                ImportJob.State.APPLIED if revision else ImportJob.State.UNCHANGED,
                extra=["plan", "revision", "data"],
            )
    except TaskListError as exc:
        _finish(job, ImportJob.State.FAILED, problems=[p.to_json() for p in exc.problems])
    except DatabaseError as exc:
        logger.exception("import job %s: database error while applying", job.pk)
        message = f"写入数据库时出错（{type(exc).__name__}: {exc}），本次修订已整体撤销，未写入任何内容。"
        _finish(job, ImportJob.State.FAILED, problems=[Problem(message, job.file_name).to_json()])


def _internal_problem(job: ImportJob, exc: Exception) -> dict:
    return Problem(f"读取文件时发生内部错误（{type(exc).__name__}），请联系管理员。", job.file_name).to_json()


def _finish(job: ImportJob, state: str, *, problems: list[dict] | None = None, extra: list[str] | None = None) -> None:
    job.state = state
    job.finished_at = timezone.now()
    job.progress_stage = "完成"
    fields = ["state", "finished_at", "progress_stage", *(extra or [])]
    if problems is not None:
        job.problems = problems
        fields.append("problems")
    job.save(update_fields=fields)
