"""Notifications: the in-app inbox, channels people choose, the outbox of deliveries, 督办单.

Every message to every recipient on every channel is a ``Delivery`` row with a
unique key (what, step, channel, recipient): creating it is claiming the send,
so running a job twice, or two jobs at once, sends nothing twice. The row is
written in the same transaction as the change that causes it (the outbox); a
worker, or the sweeper when the broker was down, sends what is pending.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class InboxMessage(models.Model):
    """A message in a user's in-app inbox. ``key`` makes a send idempotent per recipient."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="收件人", on_delete=models.CASCADE, related_name="inbox"
    )
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    key = models.CharField("去重键", max_length=200)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="unique_inbox_key")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="inbox_unread")]

    def __str__(self) -> str:
        return self.subject


class ChannelKind(models.TextChoices):
    INBOX = "inbox", "站内消息"
    EMAIL = "email", "电子邮件"
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


class Endpoint(models.Model):
    """A channel a user or a unit has chosen: an e-mail address, a group-chat robot's webhook.

    The in-app inbox needs no endpoint: everyone has one. A permanent failure (a
    webhook that no longer exists) disables the endpoint and tells the admin.
    """

    kind = models.CharField("渠道", max_length=10, choices=ChannelKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="endpoints",
    )
    unit = models.ForeignKey(
        "tasks_app.Unit", verbose_name="单位", on_delete=models.CASCADE, null=True, blank=True, related_name="endpoints"
    )
    address = models.CharField("地址", max_length=500, help_text="邮箱地址，或群机器人的 Webhook 地址。")
    secret = models.CharField("加签密钥", max_length=200, blank=True, help_text="钉钉机器人开启“加签”时填写。")
    enabled = models.BooleanField("启用", default=True)
    disabled_reason = models.CharField("停用原因", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "通知渠道"
        verbose_name_plural = "通知渠道"
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, unit__isnull=True) | Q(user__isnull=True, unit__isnull=False),
                name="endpoint_user_or_unit",
            ),
        ]

    def __str__(self) -> str:
        owner = self.user or self.unit
        return f"{owner} · {self.get_kind_display()}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    # The process sending it died mid-send: it may or may not have arrived. Never resent
    # automatically (no reminder twice); the admins are told to check.
    UNKNOWN = "unknown", "结果不明"


class Delivery(models.Model):
    """One message to one recipient on one channel; the unique ``key`` makes it happen once."""

    key = models.CharField("去重键", max_length=250, unique=True)
    channel = models.CharField("渠道", max_length=10, choices=ChannelKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收件人",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    endpoint = models.ForeignKey(
        Endpoint, verbose_name="渠道地址", on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    status = models.CharField("状态", max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    claimed_at = models.DateTimeField("开始发送", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知发送记录"
        verbose_name_plural = "通知发送记录"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Serves the sweeper: it only ever reads the pending rows, oldest first.
            models.Index(
                fields=["next_attempt_at", "created_at"],
                name="delivery_pending",
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject}"


class Attempt(models.Model):
    """Every attempt to send a delivery, with its outcome."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField("时间", auto_now_add=True)
    ok = models.BooleanField("成功")
    permanent = models.BooleanField("永久失败", default=False)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "发送尝试"
        verbose_name_plural = "发送尝试"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{'成功' if self.ok else '失败'} {self.at:%Y-%m-%d %H:%M:%S}"


class SupervisionNotice(models.Model):
    """督办单: the formal notice to a unit that stays late, with a number and a printable page."""

    number = models.CharField("编号", max_length=40, unique=True)
    year = models.PositiveIntegerField("年份")
    sequence = models.PositiveIntegerField("序号")
    period = models.ForeignKey(
        "tasks_app.Period", verbose_name="周期", on_delete=models.PROTECT, related_name="notices"
    )
    unit = models.ForeignKey("tasks_app.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="notices")
    reports = models.ManyToManyField("tasks_app.Report", verbose_name="逾期报告", related_name="notices")
    issued_on = models.DateField("督办日期")
    deadline = models.DateField("限期报送")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="one_notice_per_unit_and_period"),
            models.UniqueConstraint(fields=["year", "sequence"], name="notice_sequence_per_year"),
        ]

    def __str__(self) -> str:
        return self.number


class DocumentSequence(models.Model):
    """Numbers of official documents, kept per kind and year: 督办〔2026〕3号, 呼督通〔2026〕3号."""

    name = models.CharField("文种", max_length=20)
    year = models.PositiveIntegerField("年份")
    value = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "文号序列"
        verbose_name_plural = "文号序列"
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="unique_sequence_per_year")]

    def __str__(self) -> str:
        return f"{self.name}〔{self.year}〕{self.value}号"


# Circulars live in their own module; importing them here registers them with the app.
from notifications.circulars.models import Circular, CircularFile, CircularKind, CircularSettings  # noqa: E402

__all__ = [
    "Attempt",
    "ChannelKind",
    "Circular",
    "CircularFile",
    "CircularKind",
    "CircularSettings",
    "Delivery",
    "DeliveryStatus",
    "DocumentSequence",
    "Endpoint",
    "InboxMessage",
    "SupervisionNotice",
]
