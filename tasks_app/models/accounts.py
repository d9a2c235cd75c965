"""Users: each belongs to at most one unit and has one role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from tasks_app.models.units import Unit


class Role(models.TextChoices):
    REPORTER = "reporter", "填报员"
    UNIT_HEAD = "unit_head", "单位负责人"
    OFFICE = "office", "督查室"
    LEADER = "leader", "市领导"
    ADMIN = "admin", "管理员"


class User(AbstractUser):
    unit = models.ForeignKey(
        Unit,
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.REPORTER)
    phone = models.CharField("手机号", max_length=20, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
