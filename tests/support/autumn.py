"""An autumn of reporting on the real 附件1.

October (due 26 October) and November (due 25 November) are opened. In November:
- task 1 (市能源局): 正常推进, on time — green; 市自然资源局's supporting report says 滞后, which must not count;
- task 3 (市自然资源局): 已完成, on time — green;
- task 6 (市能源局): 滞后 with a problem, filed late on 27 November — red;
- task 10 (市能源局 and 市工信局 lead): 正常推进 and 滞后 — the worst, 滞后, red;
- task 12 (市能源局 and 市工信局 lead): 已完成 by 市能源局, nothing from 市工信局 — 已完成, red once overdue;
- task 15 (市工信局): 未启动, on time — yellow;
- every other measure: nothing filed — 未报送, red once overdue.
In October tasks 1, 3 and 6 were 正常推进 and task 15 未启动.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from tests.support.reporting import file_report, lead_report, open_month


def file_autumn(plan) -> SimpleNamespace:
    from tasks_app.models import Report

    october = open_month(plan, 10, due_day=26)
    november = open_month(plan, 11, due_day=25)
    for code in ("1", "3", "6"):
        file_report(lead_report(october, code), status="on_track", progress=f"十月：任务{code}按计划推进。")
    file_report(lead_report(october, "15"), status="not_started", progress="十月：前期调研。")

    file_report(lead_report(november, "1"), status="on_track", progress="十一月：煤矿智能化改造完成3处。")
    support = Report.objects.get(period=november, measure__code="1", unit__name="市自然资源局")
    file_report(support, status="behind", progress="用地报批中。", problems="自然资源局内部问题：用地指标不足")
    file_report(lead_report(november, "3"), status="done", progress="十一月：已完成年度目标。")
    file_report(
        lead_report(november, "6"),
        status="behind",
        progress="十一月：扎兰屯储能电站备案。",
        problems="储能项目用地预审未通过",
        on=dt.date(2026, 11, 27),
    )
    file_report(lead_report(november, "10", "市能源局"), status="on_track", progress="十一月：绿氢项目开工。")
    file_report(
        lead_report(november, "10", "市工信局"), status="behind", progress="十一月：招商中。", problems="配套资金未到位"
    )
    file_report(lead_report(november, "12", "市能源局"), status="done", progress="十一月：消纳方案印发。")
    file_report(lead_report(november, "15"), status="not_started", progress="十一月：前期工作。")
    return SimpleNamespace(october=october, november=november, plan=plan)
