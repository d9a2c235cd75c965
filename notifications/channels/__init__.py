"""Channels, registered in one place. To add one: subclass ``Channel`` in a module here,
add its kind to ``ChannelKind`` (notifications/models.py) and to ``CHANNELS`` below."""

from notifications.channels.base import Channel, ChannelError
from notifications.channels.email import EmailChannel
from notifications.channels.inbox import InboxChannel
from notifications.channels.robots import DingTalkRobotChannel, WeComRobotChannel

CHANNELS: dict[str, Channel] = {
    channel.kind: channel for channel in (InboxChannel(), EmailChannel(), WeComRobotChannel(), DingTalkRobotChannel())
}

__all__ = ["CHANNELS", "Channel", "ChannelError"]
