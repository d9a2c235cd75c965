"""The one interface every channel implements."""

from __future__ import annotations

from django.conf import settings


class ChannelError(Exception):
    """Sending failed. ``permanent`` means retrying cannot help (a webhook that no longer exists)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


class Channel:
    kind: str = ""
    label: str = ""

    def send(self, delivery) -> None:
        """Send one delivery. Returns None on success, raises ChannelError on failure."""
        raise NotImplementedError

    @staticmethod
    def absolute(url: str) -> str:
        if not url or url.startswith("http"):
            return url
        return settings.SITE_URL.rstrip("/") + url
