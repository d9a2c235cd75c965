from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from notifications.channels.base import Channel, ChannelError


class EmailChannel(Channel):
    """E-mail through Django's configured backend, with a Chinese plain-text template."""

    kind = "email"
    label = "电子邮件"

    def send(self, delivery) -> None:
        body = render_to_string(
            "notifications/email.txt",
            {"delivery": delivery, "link": self.absolute(delivery.url), "site_name": settings.SITE_NAME},
        )
        message = EmailMessage(
            subject=f"【{settings.SITE_NAME}】{delivery.subject}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.endpoint.address],
        )
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise ChannelError(f"邮箱地址被拒收：{delivery.endpoint.address}", permanent=True) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"邮件发送失败：{exc}") from exc
