"""The load test's world: its own PostgreSQL database, a province-scale plan, one reporter per unit.

The plan comes from the same synthetic generator as ``make bench`` (``bench/synthetic.py``: plausible
Chinese unit names, a task list applied through the real importer, months of filed history), so the
pages under load read as much as they would on a server in its second year.
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英"]
GIVEN += ["霞", "平", "刚", "桂英", "建华", "海燕", "志强", "晓东", "雪梅", "文博", "振宇", "慧敏", "国庆", "红梅"]


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    unit: str
    open_reports: int


def database_recreate(name: str) -> str:
    """Drop and create ``name`` on the local PostgreSQL; returns its URL."""
    import psycopg

    if "load" not in name:
        # It is dropped first: a name without "load" may be someone's real database.
        raise SystemExit(f"压测会先删除并重建数据库，数据库名“{name}”须含 load（如 taskboard_ops_load），以免误删。")
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def world_build(*, units: int, measures: int, months: int, seed: int = 2026) -> dict:
    """Migrate, seed the plan and ``months`` of reports up to this month, and make one reporter
    per unit. Needs Django set up on the load test's database. Returns what was made."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db.models import Count
    from django.utils import timezone

    from bench.synthetic import seed_scale
    from tasks_app.models import Report, Role, Unit, User
    from tasks_app.services.accounts import user_create

    call_command("migrate", verbosity=0)
    result = seed_scale(measures=measures, units=units, months=months, seed=seed, end=timezone.localdate())
    rng = random.Random(seed)
    password = secrets.token_urlsafe(12)
    # One hash for all: hashing 200 passwords at PBKDF2's full cost would take a minute; every
    # login still pays that cost on the server, which is what the test measures.
    encoded = make_password(password)
    open_counts = dict(
        Report.objects.awaited()
        .filter(period__plan=result.plan)
        .exclude(state="pending_approval")
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    accounts = []
    for number, unit in enumerate(Unit.objects.filter(kind__in=_reporting_kinds()).order_by("pk"), start=1):
        username = f"reporter{number:03d}"
        user = user_create(username=username, role=Role.REPORTER, unit=unit, name=f"{unit.name} {person_name(rng)}")
        User.objects.filter(pk=user.pk).update(password=encoded)
        accounts.append(Account(username, password, unit.name, open_counts.get(unit.pk, 0)))
    empty = [a.unit for a in accounts if not a.open_reports]
    if empty:
        raise SystemExit(f"以下单位在本期没有待填报的报告，无法模拟填报：{'、'.join(empty[:10])}")
    return {
        "plan": result.plan.name,
        "units": len(accounts),
        "measures": result.measures,
        "reports": result.reports,
        "open_reports": sum(a.open_reports for a in accounts),
        "accounts": accounts,
    }


def _reporting_kinds() -> list[str]:
    from tasks_app.models import UnitKind

    return [kind for kind in UnitKind.values if kind != UnitKind.COLLECTIVE]


def accounts_write(path: Path, accounts: list[Account]) -> None:
    path.write_text(json.dumps([asdict(a) for a in accounts], ensure_ascii=False, indent=1), encoding="utf-8")
