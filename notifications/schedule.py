"""The beat schedule, kept in the database (django-celery-beat) so the admin can change it."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


@transaction.atomic
def beat_schedule_ensure() -> list[str]:
    """Create the standard jobs if missing; an admin's change to an existing job is kept."""
    daily, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="7", day_of_week="*", day_of_month="*", month_of_year="*", timezone=settings.TIME_ZONE
    )
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period=IntervalSchedule.SECONDS)
    created = []
    jobs = [
        ("每日报送节奏（开启周期、截止汇总、提醒催办）", "notifications.run_cadence", {"crontab": daily}),
        ("发送待发通知（含中断后补发）", "notifications.sweep_outbox", {"interval": every_minute}),
    ]
    for name, task, schedule in jobs:
        _, is_new = PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, **schedule})
        if is_new:
            created.append(name)
    return created
