"""Celery tasks of circulars (queue "documents"): thin callers of the services, idempotent."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import transaction

from notifications.circulars.files import circular_file_store, formats_of
from notifications.circulars.models import Circular, CircularFile
from notifications.circulars.services import circular_compile

log = logging.getLogger(__name__)


@shared_task(name="circulars.compile")
def compile_circular(circular_id: int, today: str | None = None) -> bool:
    """Compile a queued draft; a second message for the same draft finds nothing to claim."""
    return circular_compile(circular_id=circular_id, today=dt.date.fromisoformat(today) if today else None)


@shared_task(name="circulars.render")
def render_circular(circular_id: int) -> list[str]:
    """Keep the files of an issued circular; formats already kept are skipped."""
    circular = Circular.objects.select_related("plan").get(pk=circular_id, status=Circular.Status.ISSUED)
    kept = set(CircularFile.objects.filter(circular=circular).values_list("format", flat=True))
    made = []
    for fmt in formats_of(circular):
        if fmt not in kept:
            circular_file_store(circular, fmt)
            made.append(fmt)
    return made


def enqueue_render(circular_id: int) -> None:
    def publish():
        try:
            render_circular.apply_async(args=[circular_id], retry=False)
        except Exception:  # the first download renders and keeps them instead
            log.warning("broker unreachable; files of circular %s will be rendered on first download", circular_id)

    transaction.on_commit(publish)
