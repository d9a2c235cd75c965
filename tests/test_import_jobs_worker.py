"""A large task list is read and applied by a real Celery worker (Redis broker) while the admin page
shows its progress; each step runs once, however often its message is delivered."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from tasks_app.models import ImportJob, PlanRevision, Role, User
from tests.support.annex1_documents import annex_rows, build_xlsx, task_row

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(redis_url, settings):
    """A Celery worker thread consuming from this checkout's own Redis database."""
    import redis
    from celery.contrib.testing.worker import start_worker

    from taskboard.celery import app

    redis.Redis.from_url(redis_url).flushdb()  # no message left over from an earlier run
    if connection.vendor == "sqlite":
        # The SQLite test database is in memory with a shared cache, where a reader's table lock makes
        # the worker's writes fail at once instead of waiting (a database file in WAL mode waits).
        # This test only polls, so it may read without taking those locks.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")
    previous = app.conf.broker_url
    settings.CELERY_BROKER_URL = redis_url
    app.conf.broker_url = redis_url
    # Connections are pooled per app: drop any pool made for the default broker.
    app._pool = None
    app.amqp._producer_pool = None
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20):
        yield app
    app.conf.broker_url = previous
    app._pool = None
    app.amqp._producer_pool = None


def wait_for(job: ImportJob, *states: str, timeout: float = 60) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.state in states:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job stayed {job.state} ({job.progress_stage}), expected {states}")


def test_a_large_file_is_previewed_and_applied_by_the_worker_with_progress(worker, annex1_committed, client, settings):
    settings.TASKLIST_BACKGROUND_BYTES = 0  # every file counts as large here
    wang = User.objects.create_user("wang", password="x", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(wang)
    _, rows = annex_rows()
    task_row(rows, 3).cells[3] = "市生态环境局、文旅广局、水利局"

    response = client.post(
        reverse("admin:tasks_app_planrevision_import"),
        {
            "import_file": SimpleUploadedFile("修订稿.xlsx", build_xlsx(rows)),
            "format": "0",
            "resource": "0",
            "plan": annex1_committed.pk,
            "note": "后台导入",
        },
    )
    html = response.content.decode()
    assert "<progress" in html and "js/import_progress.js" in html
    job = ImportJob.objects.get()
    status_url = reverse("admin:tasks_app_planrevision_import_job_status", args=[job.token])
    assert f'data-status-url="{status_url}"' in html

    job = wait_for(job, ImportJob.State.PREVIEWED)
    assert job.progress_total == len(rows) and job.progress_done == job.progress_total
    status = client.get(status_url).json()
    assert status == status | {"state": "previewed", "busy": False}
    page = client.get(reverse("admin:tasks_app_planrevision_import_job", args=[job.token])).content.decode()
    assert "确认导入" in page and "市水利局" in page
    assert not PlanRevision.objects.filter(plan=annex1_committed, number=2).exists()

    response = client.post(
        reverse("admin:tasks_app_planrevision_process_import"),
        {"import_file_name": job.token, "original_file_name": "修订稿.xlsx", "format": "0", "resource": "0"},
    )
    assert response.status_code == 302
    job = wait_for(job, ImportJob.State.APPLIED, ImportJob.State.FAILED)
    assert job.state == ImportJob.State.APPLIED, job.problems
    revision = PlanRevision.objects.get(plan=annex1_committed, number=2)
    assert (job.revision, revision.note, revision.created_by) == (revision, "后台导入", wang)
    page = client.get(reverse("admin:tasks_app_planrevision_import_job", args=[job.token])).content.decode()
    assert "已导入为" in page and "第 2 版" in page

    # The same message delivered again (acks_late after a lost ack) changes nothing.
    from tasks_app.tasks import tasklist_import_step

    tasklist_import_step.apply(args=[job.pk, ImportJob.Step.APPLY])
    tasklist_import_step.apply(args=[job.pk, ImportJob.Step.PREVIEW])
    assert PlanRevision.objects.filter(plan=annex1_committed).count() == 2
    job.refresh_from_db()
    assert job.state == ImportJob.State.APPLIED
