"""The in-app inbox: marking messages read. Sending goes through ``notifications.notify``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from notifications.models import ChannelKind, Endpoint, InboxMessage
from tasks_app.models import Role, User


def inbox_mark_read(*, user: User, message_ids: Iterable[int] | None = None) -> int:
    messages = InboxMessage.objects.filter(recipient=user, read_at__isnull=True)
    if message_ids is not None:
        messages = messages.filter(pk__in=list(message_ids))
    return messages.update(read_at=timezone.now())


def endpoint_add(*, user: User, kind: str, address: str, secret: str = "") -> Endpoint:
    """E-mail belongs to the user; a robot belongs to the user's unit (unit heads only)."""
    if kind == ChannelKind.EMAIL:
        return Endpoint.objects.create(kind=kind, user=user, address=address)
    if user.role != Role.UNIT_HEAD or not user.unit_id:
        raise PermissionDenied("只有单位负责人可以设置本单位的群机器人。")
    return Endpoint.objects.create(kind=kind, unit_id=user.unit_id, address=address, secret=secret)


def endpoint_remove(*, user: User, endpoint: Endpoint) -> None:
    mine = endpoint.user_id == user.pk
    unit_head = endpoint.unit_id and endpoint.unit_id == user.unit_id and user.role == Role.UNIT_HEAD
    if not (mine or unit_head):
        raise PermissionDenied("不能删除他人的通知渠道。")
    endpoint.delete()
