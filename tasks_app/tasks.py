"""Celery tasks: thin callers of services, taking ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from tasks_app.services.imports import tasklist_job_run


@shared_task(acks_late=True, ignore_result=True)
def tasklist_import_step(job_id: int, step: str) -> None:
    """One step (preview or apply) of a task list import; the job is claimed before it runs."""
    tasklist_job_run(job_id=job_id, step=step)
