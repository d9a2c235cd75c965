"""Fault drills against real processes: a worker killed mid fan-out, beat started twice.

The workers and beats here are separate `celery` processes (prefork), as in production,
working on the test database through Redis; the test kills and restarts them.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from notifications.models import Delivery, DeliveryStatus, Endpoint, InboxMessage
from tasks_app.models import Cadence, Report, Role, Unit
from tasks_app.services.accounts import user_create
from tasks_app.services.periods import period_open

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[1]
DUE = dt.date(2026, 11, 25)


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def process_env(redis_url: str, tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=redis_url,
        CELERY_VISIBILITY_TIMEOUT="5",  # a dead worker's tasks come back after 5 s, not an hour
        DELIVERY_STUCK_AFTER_SECONDS="3",
        TASKBOARD_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    return env


def start(kind: str, env: dict, *extra: str) -> subprocess.Popen:
    args = ["worker", "-c", "2", "-P", "prefork", "--without-heartbeat", "--without-gossip", "--without-mingle"]
    if kind == "beat":
        args = ["beat", "-s", str(Path(env["TASKBOARD_DATA_DIR"]) / f"beat-{time.monotonic_ns()}")]
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "taskboard", *args, "-l", "WARNING", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: kill -9 takes the pool children too
    )


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    """Signal the process group; one that does not stop within 30 s (a beat waiting on a SQLite lock
    on a busy machine) is killed outright, so the drill's teardown never hangs."""
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def wait_for(condition, timeout=120.0, every=0.25) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    raise AssertionError("timed out")


@pytest.fixture
def drill_world(annex1_committed, fake_robot):
    """November's 月调度 due on the 25th; one reporter per unit, each unit with a slow group robot."""
    Cadence.objects.exclude(code="monthly").update(is_active=False)
    period = period_open(cadence=Cadence.objects.get(code="monthly"), day=dt.date(2026, 11, 1)).period
    units = Unit.objects.filter(reports__period=period).distinct().order_by("pk")
    user_create(username="drill-office", role=Role.OFFICE, name="督查室")
    robot = fake_robot.answer("/slow", (200, {"errcode": 0}))
    fake_robot.delay = 0.15  # each robot message takes a while: the kill lands mid fan-out
    for unit in units:
        user_create(username=f"drill-{unit.pk}", role=Role.REPORTER, unit=unit, name=f"{unit.name}填报员")
        Endpoint.objects.create(kind="wecom", unit=unit, address=robot)
    return period, units.count()


def remind_keys(period) -> Counter:
    return Counter(d.key for d in Delivery.objects.filter(key__startswith=f"remind:p{period.pk}:"))


def test_a_worker_killed_mid_fan_out_sends_each_reminder_at_most_once(
    drill_world, redis_url, celery_redis, tmp_path, fake_robot
):
    period, units = drill_world
    env = process_env(redis_url, tmp_path)
    worker = start("worker", env)
    try:
        celery_redis.send_task("notifications.run_cadence", args=[DUE.isoformat()])
        wait_for(lambda: len(fake_robot.on("/slow")) >= 5)
        kill(worker)  # kill -9, the whole pool, with robot messages in flight and tasks unacknowledged
        sent_before = len(fake_robot.on("/slow"))
        assert sent_before < units, "the drill must interrupt the fan-out"
        worker = start("worker", env)
        for _ in range(3):  # the sweeper: pending messages, and what the dead worker left half sent
            time.sleep(4)
            celery_redis.send_task("notifications.sweep_outbox")
        robots = Delivery.objects.filter(channel="wecom", key__startswith=f"remind:p{period.pk}:")
        wait_for(lambda: robots.count() == units and not robots.filter(status__in=["pending", "sending"]).exists())
    finally:
        kill(worker, signal.SIGTERM)

    statuses = Counter(robots.values_list("status", flat=True))
    assert set(statuses) <= {DeliveryStatus.SENT, DeliveryStatus.UNKNOWN}
    assert statuses[DeliveryStatus.UNKNOWN] <= 2  # at most one in flight per pool process when it died
    assert len(fake_robot.on("/slow")) <= units  # nothing sent twice
    assert len(fake_robot.on("/slow")) >= statuses[DeliveryStatus.SENT]
    assert max(remind_keys(period).values()) == 1
    reporters = InboxMessage.objects.filter(subject__startswith="今日截止", recipient__role=Role.REPORTER)
    assert reporters.count() == units  # the in-app message: exactly once each, after the restart too
    if statuses[DeliveryStatus.UNKNOWN]:
        assert InboxMessage.objects.filter(recipient__username="drill-office", subject__contains="结果不明").exists()


def test_beat_started_twice_runs_jobs_twice_with_the_effect_of_once(
    drill_world, redis_url, celery_redis, tmp_path, fake_robot
):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    period, units = drill_world
    fake_robot.delay = 0
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    job = PeriodicTask.objects.create(
        name="演练：每秒一次的报送节奏", task="notifications.run_cadence", interval=every_second, args=f'["{DUE}"]'
    )
    env = process_env(redis_url, tmp_path)
    processes = [start("worker", env), start("beat", env), start("beat", env)]
    try:
        wait_for(lambda: PeriodicTask.objects.get(pk=job.pk).total_run_count >= 8, timeout=90)
        for process in processes[1:]:
            kill(process, signal.SIGTERM)
        robots = Delivery.objects.filter(channel="wecom", key__startswith=f"remind:p{period.pk}:")
        wait_for(lambda: robots.count() == units and not robots.exclude(status=DeliveryStatus.SENT).exists())
        time.sleep(3)  # the last queued runs finish: they must add nothing
    finally:
        for process in processes:
            kill(process, signal.SIGTERM)

    assert PeriodicTask.objects.get(pk=job.pk).total_run_count >= 8  # the job really ran many times
    assert len(fake_robot.on("/slow")) == units  # yet each unit's robot heard once
    assert max(remind_keys(period).values()) == 1
    assert (
        Report.objects.filter(period=period).count()
        == Report.objects.filter(period=period).values("measure", "unit").distinct().count()
    )
    reporters = InboxMessage.objects.filter(subject__startswith="今日截止", recipient__role=Role.REPORTER)
    assert reporters.count() == units


def test_a_send_left_half_done_is_settled_as_unknown_and_never_resent(
    annex1, energy_reporter, admin_user, settings, fake_robot
):
    from notifications.delivery import (
        Message,
        deliveries_create,
        deliveries_reconcile,
        deliveries_send,
        recipients_rows,
    )

    settings.DELIVERY_STUCK_AFTER_SECONDS = 0
    robot = Endpoint.objects.create(
        kind="wecom", unit=energy_reporter.unit, address=fake_robot.answer("/x", (200, {"errcode": 0}))
    )
    [pk] = deliveries_create(recipients_rows(key="drill", message=Message("演练"), users=[], unit_endpoints=[robot]))
    Delivery.objects.filter(pk=pk).update(
        status=DeliveryStatus.SENDING, claimed_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    )
    assert deliveries_reconcile() == 1
    assert Delivery.objects.get(pk=pk).status == DeliveryStatus.UNKNOWN
    assert deliveries_send([pk]) == {"sent": 0, "failed": 0, "skipped": 1}
    assert fake_robot.on("/x") == []
    assert InboxMessage.objects.filter(recipient=admin_user, subject="有 1 条通知发送中断、结果不明").exists()
