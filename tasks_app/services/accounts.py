"""Accounts: demo accounts for ``make run`` (one per role and several units)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.db import transaction

from tasks_app.models import Role, Unit, User
from tasks_app.services.permissions import user_unit_membership_sync

DEMO_PASSWORD_ENV = "DEMO_PASSWORD"
DEFAULT_DEMO_PASSWORD = "Demo@2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    unit: str | None = None

    @property
    def role_label(self) -> str:
        return Role(self.role).label


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", Role.ADMIN),
    DemoAccount("duchashi", "督查室 王督查", Role.OFFICE),
    DemoAccount("lingdao", "市领导 李市长", Role.LEADER),
    DemoAccount("nengyuan", "市能源局 张填报", Role.REPORTER, "市能源局"),
    DemoAccount("nengyuan_fzr", "市能源局 赵局长", Role.UNIT_HEAD, "市能源局"),
    DemoAccount("gongxin", "市工信局 刘填报", Role.REPORTER, "市工信局"),
    DemoAccount("ziranziyuan", "市自然资源局 陈填报", Role.REPORTER, "市自然资源局"),
    DemoAccount("fagai", "市发展改革委 周填报", Role.REPORTER, "市发展改革委"),
    DemoAccount("hailaer", "海拉尔区 孙填报", Role.REPORTER, "海拉尔区"),
    DemoAccount("jingkaiqu", "经开区 吴填报", Role.REPORTER, "经开区"),
]


def demo_password() -> str:
    return os.environ.get(DEMO_PASSWORD_ENV, DEFAULT_DEMO_PASSWORD)


@transaction.atomic
def demo_accounts_ensure() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that are missing; existing ones keep their password."""
    units = {u.name: u for u in Unit.objects.filter(name__in=[a.unit for a in DEMO_ACCOUNTS if a.unit])}
    password = demo_password()
    results = []
    for account in DEMO_ACCOUNTS:
        is_admin = account.role == Role.ADMIN
        user, created = User.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.name,
                "role": account.role,
                "unit": units.get(account.unit),
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        user_unit_membership_sync(user=user)
        results.append((account, created))
    return results


@transaction.atomic
def user_create(
    *, username: str, role: str, unit: Unit | None = None, name: str = "", password: str | None = None
) -> User:
    """A user in a unit's group from the start, so their rights follow the unit's."""
    user = User(username=username, first_name=name, role=role, unit=unit)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user_unit_membership_sync(user=user)
    return user
