"""Celery tasks: thin callers of the services. They take ids and dates, never objects,
and are idempotent: every one of them can run twice, or concurrently, with the same effect."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from notifications.cadence_run import cadence_run
from notifications.circulars.services import circular_compile
from notifications.circulars.tasks import compile_circular
from notifications.delivery import SEND_BATCH, deliveries_reconcile, deliveries_send, pending_ids
from notifications.reminders import remind_units


def _date(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else timezone.localdate()


def _fan_out(fn, **kwargs) -> None:
    """The daily job's per-unit and per-document work, each as its own task on its queue."""
    kwargs = {**kwargs, "today": kwargs["today"].isoformat()}
    if fn is circular_compile:
        compile_circular.delay(**kwargs)
    elif fn is remind_units:
        remind_units_task.delay(**kwargs)
    else:
        raise ValueError(f"no task for {fn.__name__}")


@shared_task(name="notifications.run_cadence")
def run_cadence(today: str | None = None) -> dict:
    """The daily job (beat, 07:30): open periods, collect, remind — per-unit work fanned out."""
    day = cadence_run(today=_date(today), dispatch=_fan_out)
    return {
        "opened": day.opened,
        "collected": day.collected,
        "steps": day.steps,
        "batches": day.unit_batches,
        "circulars": day.circulars,
    }


@shared_task(name="notifications.remind_units")
def remind_units_task(period_id: int, step_id: int, unit_ids: list[int], today: str) -> int:
    return remind_units(period_id=period_id, step_id=step_id, unit_ids=unit_ids, today=_date(today))


@shared_task(name="notifications.deliver")
def deliver(ids: list[int]) -> dict:
    return deliveries_send(ids)


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox() -> dict:
    """Every minute (beat): send what is pending — after a broker outage, or a retry that is due —
    and settle what a dead worker left half sent."""
    counts = {"sent": 0, "failed": 0, "skipped": 0, "unknown": deliveries_reconcile()}
    ids = pending_ids(limit=SEND_BATCH * 10)
    for start in range(0, len(ids), SEND_BATCH):
        for key, value in deliveries_send(ids[start : start + SEND_BATCH]).items():
            counts[key] += value
    return counts
