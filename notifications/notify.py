"""Telling people: who receives a message, on which of their channels. Exactly once per key."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet

from notifications.delivery import Message, deliveries_create, enqueue_after_commit, recipients_rows
from notifications.models import ChannelKind, Endpoint
from tasks_app.models import Role, Unit, User

ROBOT_KINDS = (ChannelKind.WECOM, ChannelKind.DINGTALK)


def with_channels(users: QuerySet[User]) -> QuerySet[User]:
    """Users with their enabled personal channels (e-mail) loaded in one more query."""
    personal = Endpoint.objects.filter(enabled=True, kind=ChannelKind.EMAIL)
    return users.filter(is_active=True).prefetch_related(
        Prefetch("endpoints", queryset=personal, to_attr="enabled_endpoints")
    )


def unit_users(unit_ids: Iterable[int], roles: Iterable[str]) -> QuerySet[User]:
    return with_channels(User.objects.filter(unit_id__in=list(unit_ids), role__in=list(roles)))


def office_users() -> QuerySet[User]:
    return with_channels(User.objects.filter(role=Role.OFFICE))


def admin_users() -> QuerySet[User]:
    return with_channels(User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True)))


def unit_robots(unit_ids: Iterable[int]) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(unit_id__in=list(unit_ids), enabled=True, kind__in=ROBOT_KINDS)


@transaction.atomic
def notify(*, key: str, message: Message, users: Iterable[User], robots: Iterable[Endpoint] = ()) -> int:
    """Create the deliveries of one message; in-app at once, the rest sent after commit.
    Returns how many deliveries wait for a worker."""
    ids = deliveries_create(recipients_rows(key=key, message=message, users=users, unit_endpoints=robots))
    enqueue_after_commit(ids)
    return len(ids)


def notify_unit(*, unit: Unit, key: str, message: Message, roles=(Role.REPORTER, Role.UNIT_HEAD), robots=True) -> int:
    users = unit_users([unit.pk], roles)
    return notify(key=key, message=message, users=users, robots=unit_robots([unit.pk]) if robots else ())


def notify_admins(*, key: str, message: Message) -> int:
    return notify(key=key, message=message, users=admin_users() | office_users())
