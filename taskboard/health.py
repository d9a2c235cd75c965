"""/healthz: is the system able to work? Database, broker, and a beat that is still ticking.
/healthz/web: can this web server serve pages? The database only.

200 when every check answers, 503 with what failed; no login (they say nothing about the plan or its users).
Monitoring watches /healthz. A load balancer watches /healthz/web: pages never wait for the broker (the
outbox is swept later) and beat is one process for the whole site, so taking every web server out of the
pool because Redis or beat is down would turn late reminders into an outage.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

# The sweeper is scheduled every minute: three missed ticks mean beat is down.
BEAT_STALE_AFTER = dt.timedelta(minutes=3)
SWEEP_TASK = "notifications.sweep_outbox"


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    from taskboard.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return "ok"


def check_beat(now: dt.datetime) -> str:
    from django_celery_beat.models import PeriodicTask

    last = PeriodicTask.objects.filter(task=SWEEP_TASK, enabled=True).values_list("last_run_at", flat=True).first()
    if last is None:
        raise RuntimeError("beat 尚未运行过发送任务")
    if now - last > BEAT_STALE_AFTER:
        raise RuntimeError(f"beat 最近一次调度在 {timezone.localtime(last):%Y-%m-%d %H:%M:%S}，已超过 3 分钟")
    return "ok"


@never_cache
@login_not_required
def healthz(request):
    now = timezone.now()
    return answer((("database", check_database), ("broker", check_broker), ("beat", lambda: check_beat(now))))


@never_cache
@login_not_required
def healthz_web(request):
    return answer((("database", check_database),))


def answer(checks) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in checks:
        try:
            results[name] = check()
        except Exception as exc:  # any failure is the answer, not an error page
            results[name] = f"error: {exc}"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **results, "version": settings.TASKBOARD_VERSION},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
