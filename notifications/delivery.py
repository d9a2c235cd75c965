"""The outbox: creating deliveries exactly once, and sending the pending ones.

``deliveries_create`` writes one row per (key, recipient, channel) in the
caller's transaction; a key that exists already is skipped, so a job run twice
sends nothing twice. In-app messages are delivered in that same transaction
(they are rows too); the other channels wait for a worker, which is asked after
commit — and if the broker is down, the sweeper picks them up later.

``deliveries_send`` claims each pending row under a row lock (``skip_locked``:
two workers never take the same row), sends it and records the attempt, in one
transaction per delivery.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from notifications.channels import CHANNELS, ChannelError
from notifications.models import Attempt, ChannelKind, Delivery, DeliveryStatus, Endpoint, InboxMessage

log = logging.getLogger(__name__)
SEND_BATCH = 100


@dataclass(frozen=True)
class Message:
    subject: str
    body: str = ""
    url: str = ""


def recipients_rows(*, key: str, message: Message, users: Iterable, unit_endpoints: Iterable[Endpoint] = ()):
    """The deliveries for ``users`` (inbox + their e-mail) and for a unit's robots."""
    rows = []
    for user in users:
        rows.append(_row(f"{key}:inbox:u{user.pk}", ChannelKind.INBOX, message, user=user))
        for endpoint in getattr(user, "enabled_endpoints", None) or []:
            rows.append(
                _row(f"{key}:{endpoint.kind}:e{endpoint.pk}", endpoint.kind, message, user=user, endpoint=endpoint)
            )
    for endpoint in unit_endpoints:
        rows.append(_row(f"{key}:{endpoint.kind}:e{endpoint.pk}", endpoint.kind, message, endpoint=endpoint))
    return rows


def _row(key: str, channel: str, message: Message, *, user=None, endpoint=None) -> Delivery:
    return Delivery(
        key=key[:250],
        channel=channel,
        user=user,
        endpoint=endpoint,
        subject=message.subject[:200],
        body=message.body,
        url=message.url,
        status=DeliveryStatus.SENT if channel == ChannelKind.INBOX else DeliveryStatus.PENDING,
        sent_at=timezone.now() if channel == ChannelKind.INBOX else None,
    )


def deliveries_create(rows: list[Delivery]) -> list[int]:
    """Write the deliveries that do not exist yet; returns the ids of new ones to send by a worker.

    Queries: existing keys; insert deliveries; insert inbox messages; read back new pending ids.
    """
    if not rows:
        return []
    keys = [row.key for row in rows]
    existing = set(Delivery.objects.filter(key__in=keys).values_list("key", flat=True))
    new = [row for row in rows if row.key not in existing]
    Delivery.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    inbox = [
        InboxMessage(recipient_id=row.user_id, subject=row.subject, body=row.body, url=row.url, key=row.key)
        for row in new
        if row.channel == ChannelKind.INBOX
    ]
    InboxMessage.objects.bulk_create(inbox, batch_size=1000, ignore_conflicts=True)
    pending_keys = [row.key for row in new if row.status == DeliveryStatus.PENDING]
    if not pending_keys:
        return []
    return list(
        Delivery.objects.filter(key__in=pending_keys, status=DeliveryStatus.PENDING).values_list("pk", flat=True)
    )


def enqueue_after_commit(ids: list[int]) -> None:
    """Ask a worker to send ``ids`` once the transaction commits; never fail the caller."""
    if not ids:
        return

    def publish():
        from notifications.tasks import deliver

        for start in range(0, len(ids), SEND_BATCH):
            batch = ids[start : start + SEND_BATCH]
            try:
                deliver.apply_async(args=[batch], retry=False)
            except Exception:  # the broker is down: the rows stay pending, the sweeper sends them
                log.warning("broker unreachable; %d deliveries left for the sweeper", len(ids) - start)
                return

    transaction.on_commit(publish)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=2 ** (attempts - 1))


def deliveries_send(ids: Iterable[int]) -> dict[str, int]:
    """Send each pending delivery of ``ids`` that is due; skip any another worker holds."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for pk in ids:
        outcome = _send_one(pk)
        counts[outcome] += 1
    return counts


def _claim(pk: int) -> Delivery | None:
    """Take one pending, due delivery for this process: mark it 'sending' and commit.

    The row lock (``skip_locked``) keeps two workers off the same row; the commit before
    the send keeps a worker that dies mid-send from ever sending it twice (see UNKNOWN).
    """
    now = timezone.now()
    with transaction.atomic():
        rows = Delivery.objects.select_related("endpoint").filter(pk=pk, status=DeliveryStatus.PENDING)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        delivery = rows.first()
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now):
            return None
        delivery.status = DeliveryStatus.SENDING
        delivery.claimed_at = now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts"])
    return delivery


def _send_one(pk: int) -> str:
    delivery = _claim(pk)
    if delivery is None:
        return "skipped"
    try:
        if delivery.endpoint_id and not delivery.endpoint.enabled:
            raise ChannelError(f"渠道已停用：{delivery.endpoint.disabled_reason}", permanent=True)
        CHANNELS[delivery.channel].send(delivery)
    except ChannelError as exc:
        with transaction.atomic():
            _fail(delivery, exc)
        return "failed"
    with transaction.atomic():
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
        delivery.save(update_fields=["status", "sent_at", "last_error"])
        Attempt.objects.create(delivery=delivery, ok=True)
    return "sent"


def _fail(delivery: Delivery, error: ChannelError) -> None:
    delivery.last_error = str(error)
    gave_up = error.permanent or delivery.attempts >= settings.DELIVERY_MAX_ATTEMPTS
    if gave_up:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.status = DeliveryStatus.PENDING
        delivery.next_attempt_at = timezone.now() + _backoff(delivery.attempts)
    delivery.save(update_fields=["last_error", "status", "next_attempt_at"])
    Attempt.objects.create(delivery=delivery, ok=False, permanent=error.permanent, error=str(error))
    if error.permanent and delivery.endpoint_id and delivery.endpoint.enabled:
        endpoint_disable(endpoint=delivery.endpoint, reason=str(error))


def deliveries_reconcile() -> int:
    """Deliveries left 'sending' by a process that died: mark them UNKNOWN and tell the admins.

    They are not resent: a message may already have arrived, and none may arrive twice.
    """
    from notifications.notify import notify_admins

    # Longer than any send may take (HTTP 5 s, SMTP 10 s timeouts) with room to spare.
    stuck_after = dt.timedelta(seconds=settings.DELIVERY_STUCK_AFTER_SECONDS)
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=timezone.now() - stuck_after)
    stuck = list(stuck.values_list("pk", flat=True))
    if not stuck:
        return 0
    with transaction.atomic():
        Delivery.objects.filter(pk__in=stuck, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.UNKNOWN, last_error="发送进程中断，结果不明：请与收件人核实。"
        )
        Attempt.objects.bulk_create([Attempt(delivery_id=pk, ok=False, error="发送进程中断，结果不明") for pk in stuck])
        notify_admins(
            key=f"deliveries-unknown:{min(stuck)}:{max(stuck)}:{len(stuck)}",
            message=Message(
                subject=f"有 {len(stuck)} 条通知发送中断、结果不明",
                body="发送这些通知的进程中途终止，系统无法确认对方是否收到，为避免重复打扰未自动重发。请在管理后台核实。",
                url=f"/{settings.ADMIN_URL}notifications/delivery/?status__exact=unknown",
            ),
        )
    return len(stuck)


def endpoint_disable(*, endpoint: Endpoint, reason: str) -> None:
    """A channel that can never work is switched off, and the admins are told once."""
    from notifications.notify import notify_admins

    Endpoint.objects.filter(pk=endpoint.pk).update(enabled=False, disabled_reason=reason[:300])
    owner = endpoint.user or endpoint.unit
    notify_admins(
        key=f"endpoint-disabled:{endpoint.pk}",
        message=Message(
            subject=f"通知渠道已停用：{owner}的{endpoint.get_kind_display()}",
            body=f"发送失败且无法重试（{reason}），系统已停用该渠道。请核对地址后在管理后台重新启用。",
            url=f"/{settings.ADMIN_URL}notifications/endpoint/{endpoint.pk}/change/",
        ),
    )


def pending_ids(*, limit: int = 5000) -> list[int]:
    """Pending deliveries that are due, oldest first (the sweeper's partial index)."""
    now = timezone.now()
    rows = Delivery.objects.filter(status=DeliveryStatus.PENDING).exclude(next_attempt_at__gt=now)
    return list(rows.order_by("created_at").values_list("pk", flat=True)[:limit])
