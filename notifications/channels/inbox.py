from __future__ import annotations

from notifications.channels.base import Channel
from notifications.models import InboxMessage


class InboxChannel(Channel):
    """The in-app inbox: a row in the recipient's inbox, written in the sender's transaction."""

    kind = "inbox"
    label = "站内消息"

    def send(self, delivery) -> None:
        InboxMessage.objects.get_or_create(
            recipient_id=delivery.user_id,
            key=delivery.key,
            defaults={"subject": delivery.subject, "body": delivery.body, "url": delivery.url},
        )
