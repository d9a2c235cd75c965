"""A third quarter of 2026 on the demo data: two units late in August, one silent all quarter."""

from __future__ import annotations

import pytest

LATE = ("市工信局", "海拉尔区")
SILENT = ("市科技局",)


@pytest.fixture
def demo(annex1):
    from tasks_app.services.accounts import demo_accounts_ensure

    demo_accounts_ensure()
    return annex1


@pytest.fixture
def third_quarter(demo):
    """The quarter run day by day to the morning its circular is drafted; returns the draft."""
    from notifications.models import Circular
    from tests.support.quarter import run_quarter

    days = run_quarter(late=LATE, silent=SILENT)
    return Circular.objects.get(year=2026, quarter=3, status="draft"), days


def compile_scope(plan, year: int, quarter: int, today, kind: str = "quarterly"):
    """Draft and compile a circular the way the daily job does (inline); returns it."""
    from notifications.circulars.scope import Scope
    from notifications.circulars.services import circular_compile, circular_schedule

    circular, _ = circular_schedule(scope=Scope(plan, kind, year, quarter), enqueue=False)
    circular_compile(circular_id=circular.pk, today=today)
    circular.refresh_from_db()
    return circular


@pytest.fixture
def q3(annex1):
    """The third quarter of 2026 opened by hand — July to September 月调度 and the quarter's 季通报
    (due 13 October) — with three consolidated reports filed on time:
    task 3 已完成, task 6 滞后 (a problem stated), task 1 正常推进. Nothing else is filed."""
    import datetime as dt
    from types import SimpleNamespace

    from tasks_app.services.cadence import cadence_for
    from tasks_app.services.periods import period_open
    from tests.support.reporting import file_report, lead_report

    months = [period_open(cadence=cadence_for(annex1, "monthly"), day=dt.date(2026, m, 1)).period for m in (7, 8, 9)]
    quarter = period_open(cadence=cadence_for(annex1, "quarterly"), day=dt.date(2026, 7, 1)).period
    file_report(lead_report(quarter, "3"), status="done", progress="已完成煤炭资源勘查年度任务。")
    file_report(lead_report(quarter, "6"), status="behind", progress="储能电站备案。", problems="用地预审未通过。")
    file_report(lead_report(quarter, "1"), status="on_track", progress="矿区总体规划修编完成初稿。")
    return SimpleNamespace(plan=annex1, months=months, quarter=quarter, compiled_on=dt.date(2026, 10, 15))
