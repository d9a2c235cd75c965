"""One period's reminder fan-out on a real broker and worker, beside a no-op task on the same broker.

15,000 open requests (a cadence over enough of the synthetic plan's tasks), one
reporter per unit with an e-mail address (locmem backend in the worker), the due
day's step. Reminders are per unit and period (one message lists all its open
requests), so the figures are requests covered per second and deliveries per
second, both beside the no-op rate measured in the same run.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import redis

from bench.harness import ROOT, Benchmark, QueryCounter, Result

BROKER_DB = 11
TARGET_REQUESTS = 15_000
NOOP_TASKS = 20_000
WORKERS = 2


def _env() -> dict:
    env = os.environ.copy()
    env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:6379/{BROKER_DB}"
    env["BENCH_COUNTER_URL"] = f"redis://127.0.0.1:6379/{BROKER_DB}"
    env["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    env["PYTHONPATH"] = str(ROOT)
    return env


def _start_worker() -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "taskboard",
        "worker",
        "-c",
        str(WORKERS),
        "-P",
        "prefork",
        "-I",
        "bench.celery_tasks",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "-l",
        "WARNING",
    ]
    worker = subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(6)  # let both processes import Django and connect
    return worker


def _stop(worker: subprocess.Popen) -> None:
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()


def _celery_app():
    from taskboard.celery import app

    app.conf.broker_url = _env()["CELERY_BROKER_URL"]
    return app


def _prepare():
    """A cadence over the first tasks of the synthetic plan with about 15,000 requests, and people."""
    from bench.synthetic import SCALE_PLAN_NAME
    from notifications.models import Endpoint
    from tasks_app.models import Cadence, Plan, ReminderStep, Role, Task, Unit, User
    from tasks_app.services.accounts import user_create
    from tasks_app.services.periods import period_open
    from tasks_app.services.permissions import responsibilities

    plan = Plan.objects.get(name=SCALE_PLAN_NAME)
    cadence, _ = Cadence.objects.get_or_create(
        plan=plan, code="bench-monthly", defaults={"name": "基准测试月调度", "period_kind": "month", "due_day": 25}
    )
    ReminderStep.objects.get_or_create(cadence=cadence, offset_workdays=0, defaults={"kind": "due"})
    tasks, total = [], 0
    for task in Task.objects.filter(plan=plan).order_by("number").prefetch_related("measures"):
        if total >= TARGET_REQUESTS:
            break
        total += len(responsibilities([m.pk for m in task.measures.all()]))
        tasks.append(task)
    cadence.tasks.set(tasks)
    for unit in Unit.objects.exclude(kind="collective").filter(users__isnull=True):
        user = user_create(username=f"bench-u{unit.pk}", role=Role.REPORTER, unit=unit)
        Endpoint.objects.create(kind="email", user=user, address=f"u{unit.pk}@bench.example.cn")
    period = period_open(cadence=cadence, day=dt.date(2031, 3, 1)).period
    return period, User.objects.count()


def fan_out() -> list[Result]:
    from notifications.models import Delivery, DeliveryStatus, InboxMessage
    from notifications.reminders import remind_units, units_with_open_reports
    from tasks_app.models import ReminderStep, Report

    period, _ = _prepare()
    # A re-run (--reuse) starts from the same state: no reminder of this period sent yet.
    InboxMessage.objects.filter(key__startswith=f"remind:p{period.pk}:").delete()
    Delivery.objects.filter(key__startswith=f"remind:p{period.pk}:").delete()
    requests = Report.objects.filter(period=period, state="requested").count()
    step = ReminderStep.objects.get(cadence=period.cadence, offset_workdays=0)
    app = _celery_app()
    counter = redis.Redis.from_url(_env()["BENCH_COUNTER_URL"])
    counter.flushdb()
    worker = _start_worker()
    try:
        # Baseline: a no-op task, same broker, same worker.
        started = time.perf_counter()
        for _ in range(NOOP_TASKS):
            app.send_task("bench.noop")
        while int(counter.get("bench:noop") or 0) < NOOP_TASKS:
            time.sleep(0.05)
        noop_rate = NOOP_TASKS / (time.perf_counter() - started)

        # Query count per chunk, measured in-process on a throwaway transaction.
        units = units_with_open_reports(period.pk)
        from django.db import transaction

        counts = []
        for size in (10, 50):
            with transaction.atomic(), QueryCounter() as queries:
                made = remind_units(period_id=period.pk, step_id=step.pk, unit_ids=units[:size], today=period.due_date)
                transaction.set_rollback(True)
            counts.append((size, queries.count, made))

        # The fan-out: the daily job for the due day, through the broker and the worker.
        started = time.perf_counter()
        app.send_task("notifications.run_cadence", args=[period.due_date.isoformat()])
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            made = Delivery.objects.filter(key__startswith=f"remind:p{period.pk}:").count()
            pending = Delivery.objects.filter(
                key__startswith=f"remind:p{period.pk}:", status=DeliveryStatus.PENDING
            ).count()
            if made and not pending and made >= 2 * len(units):
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        _stop(worker)
    deliveries = Delivery.objects.filter(key__startswith=f"remind:p{period.pk}:").count()
    sent = Delivery.objects.filter(key__startswith=f"remind:p{period.pk}:", status=DeliveryStatus.SENT).count()
    request_rate = requests / elapsed
    note = f"{requests} requests, {len(units)} units, {deliveries} deliveries ({sent} sent) in {elapsed:.1f} s"
    (small, q_small, _), (large, q_large, _) = counts
    return [
        Result(
            "no-op Celery task, 2 worker processes", noop_rate, "tasks/s", runs=[], note=f"{NOOP_TASKS} tasks, Redis"
        ),
        Result(
            "reminder fan-out: requests covered",
            request_rate,
            "requests/s",
            target=round(noop_rate * 0.5, 1),
            higher_is_better=True,
            note=note + "; target = 50% of the no-op rate",
        ),
        Result(
            "reminder fan-out: deliveries sent", deliveries / elapsed, "deliveries/s", note="in-app + locmem e-mail"
        ),
        Result(f"reminder fan-out: queries per chunk of {small} units", q_small, "queries"),
        Result(
            f"reminder fan-out: queries per chunk of {large} units",
            q_large,
            "queries",
            note="constant per chunk, not per unit or request",
        ),
    ]


BENCHMARKS = [Benchmark("cadence fan-out", fan_out)]
