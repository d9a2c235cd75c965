"""Sending to the in-app inbox."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from notifications.models import InboxMessage
from tasks_app.models import Unit, User


def unit_recipients(unit: Unit) -> list[User]:
    return list(User.objects.filter(unit=unit, is_active=True))


@transaction.atomic
def inbox_send(*, users: Iterable[User], subject: str, body: str = "", url: str = "", key: str) -> int:
    """Put a message in each user's inbox once per ``key``; returns how many were new."""
    rows = [InboxMessage(recipient=user, subject=subject, body=body, url=url, key=key) for user in users]
    before = InboxMessage.objects.filter(key=key).count()
    InboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    return InboxMessage.objects.filter(key=key).count() - before


def inbox_mark_read(*, user: User, message_ids: Iterable[int] | None = None) -> int:
    messages = InboxMessage.objects.filter(recipient=user, read_at__isnull=True)
    if message_ids is not None:
        messages = messages.filter(pk__in=list(message_ids))
    return messages.update(read_at=timezone.now())
