"""Circulars compiled by a real Celery worker (Redis broker): drafted by the daily job, or on demand
with a progress bar."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse

from notifications.models import Circular
from tests.conftest import client_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
D = dt.date


@pytest.fixture
def third_quarter_open(annex1_committed):
    """July to September and the quarter's 季通报 period, opened with their rule's deadlines."""
    from tasks_app.services.cadence import cadence_for
    from tasks_app.services.periods import period_open
    from tests.support.reporting import file_report, lead_report

    for month in (7, 8, 9):
        period_open(cadence=cadence_for(annex1_committed, "monthly"), day=D(2026, month, 1))
    quarter = period_open(cadence=cadence_for(annex1_committed, "quarterly"), day=D(2026, 7, 1)).period
    file_report(lead_report(quarter, "3"), status="done", progress="已完成煤炭资源勘查年度任务。")
    return quarter


def wait_until(condition, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_the_daily_job_on_a_worker_drafts_the_quarter_s_circular(celery_worker, third_quarter_open):
    assert third_quarter_open.due_date == D(2026, 10, 13)  # 5th working day after the quarter
    celery_worker.app.send_task("notifications.run_cadence", args=["2026-10-14"])
    draft = wait_until(lambda: Circular.objects.filter(year=2026, quarter=3, compile_state="idle").first())
    assert draft.status == "draft" and draft.snapshot["overview"]["overall"]["states"]["done"] == 1
    assert draft.snapshot["compiled_on"] == "2026-10-14"
    # The next morning's run finds the quarter drafted already.
    celery_worker.app.send_task("notifications.run_cadence", args=["2026-10-15"])
    time.sleep(3)
    assert Circular.objects.filter(year=2026, quarter=3).count() == 1


def test_the_office_compiles_on_demand_and_watches_the_progress(celery_worker, third_quarter_open, office, client):
    client_for(client, office)
    response = client.post(reverse("circular-create"), {"year": 2026, "period": "3"})
    draft = Circular.objects.get(year=2026, quarter=3)
    assert response.status_code == 302 and response["Location"] == reverse("circular-detail", args=[draft.pk])
    seen = []

    def finished():
        status = client.get(reverse("circular-status", args=[draft.pk])).json()
        seen.append(status["percent"])
        return not status["busy"] and status

    status = wait_until(finished)
    assert status["state"] == "idle" and status["percent"] == 100 and status["stage"] == "汇总完成"
    assert seen == sorted(seen)  # the bar only moves forward
    page = client.get(reverse("circular-edit", args=[draft.pk])).content.decode()
    assert "关于2026年第三季度重点任务推进情况的通报" in page and "签发" in page
