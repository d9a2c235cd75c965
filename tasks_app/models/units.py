"""Units (单位): everything the plan can make responsible for a measure."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class UnitKind(models.TextChoices):
    CITY_DEPARTMENT = "city_department", "市直部门"
    DIVISION = "division", "旗市区"
    DEV_ZONE = "dev_zone", "开发区"
    ENTERPRISE = "enterprise", "企业/集团"
    VERTICAL = "vertical", "垂直管理/驻地单位"
    PARTY_ORGAN = "party_organ", "党委机关"
    COLLECTIVE = "collective", "集合（代指一组单位）"


class Unit(models.Model):
    """A unit under its canonical name; the ways people write it are ``aliases``.

    A unit of kind collective (各旗市区, 各行业主管部门 …) stands for a designated
    set of ``members``; 各旗市区 stands for the 14 banner-level divisions.
    """

    name = models.CharField("规范名称", max_length=100, unique=True)
    kind = models.CharField("类别", max_length=20, choices=UnitKind.choices)
    sort_order = models.PositiveIntegerField("排序", default=1000)
    members = models.ManyToManyField(
        "self",
        verbose_name="成员单位",
        symmetrical=False,
        blank=True,
        related_name="collectives",
        help_text="仅集合类单位使用：例如“各旗市区”代指的 14 个旗市区。",
    )
    needs_review = models.BooleanField(
        "待审核", default=False, help_text="导入时新建、类别为推测的单位，请管理员核对。"
    )
    note = models.TextField("备注", blank=True)
    requires_head_approval = models.BooleanField(
        "报送前须单位负责人审核",
        default=False,
        help_text="开启后，填报员提交的报告先送本单位负责人审核，同意后才报送督查室。",
    )
    group = models.OneToOneField(
        "auth.Group",
        verbose_name="权限组",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="unit",
        editable=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_collective(self) -> bool:
        return self.kind == UnitKind.COLLECTIVE

    def clean(self) -> None:
        if UnitAlias.objects.filter(name=self.name).exclude(unit_id=self.pk).exists():
            raise ValidationError({"name": f"“{self.name}”已是另一单位的别名。"})


class UnitAlias(models.Model):
    """Another way of writing a unit: a short form (新左旗), an old or full name."""

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField("别名", max_length=100, unique=True)

    class Meta:
        verbose_name = "单位别名"
        verbose_name_plural = "单位别名"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} → {self.unit.name}"

    def clean(self) -> None:
        clash = Unit.objects.filter(name=self.name).exclude(pk=self.unit_id).first()
        if clash is not None:
            raise ValidationError({"name": f"“{self.name}”已是单位“{clash.name}”的规范名称。"})
