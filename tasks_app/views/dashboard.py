"""领导驾驶舱 and 报送纪律: for leaders and the supervision office; each page exports to XLSX."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from tasks_app.access import sees_everything
from tasks_app.insights.charts import dashboard_charts
from tasks_app.insights.dashboard import Dashboard, Tally, dashboard, ledger_url
from tasks_app.insights.discipline import Discipline, Kind, discipline_by_unit
from tasks_app.insights.exports import Table, percent, xlsx_response
from tasks_app.lights import Light
from tasks_app.measure_status import LIGHTS, STATES
from tasks_app.views.plan_period import plan_and_period

TALLY_HEADERS = ["举措数", *[s.label for s in STATES], *[li.label for li in LIGHTS]]
DISCIPLINE_KINDS = (Kind.ON_TIME, Kind.LATE, Kind.MISSING, Kind.PENDING)


def _overview_only(request):
    """Leaders and the office see the whole plan; a unit user is sent to their own scorecard."""
    user = request.user
    if sees_everything(user):
        return None
    if user.unit_id:
        return redirect("unit-scorecard", pk=user.unit_id)
    raise PermissionDenied("驾驶舱仅供市领导和督查室查看。")


def _choice(request):
    today = timezone.localdate()
    return today, plan_and_period(request, today)


def dashboard_page(request):
    if (elsewhere := _overview_only(request)) is not None:
        return elsewhere
    today, choice = _choice(request)
    if choice is None:
        return render(request, "tasks_app/no_plan.html")
    context = {"choice": choice, "states": STATES, "lights": LIGHTS, "tally_headers": TALLY_HEADERS}
    if choice.period is not None:
        d = dashboard(choice.plan, choice.period, today, choice.periods)
        context |= {"d": d, "charts": dashboard_charts(d), "red_url": ledger_url(d.period, light=Light.RED)}
    return render(request, "tasks_app/insights/dashboard.html", context)


def _tally_rows(tallies: list[Tally]) -> list[list]:
    return [[t.label, t.total, *[t.states[s] for s in STATES], *[t.lights[li] for li in LIGHTS]] for t in tallies]


def dashboard_tables(d: Dashboard) -> list[Table]:
    note = f"{d.plan.name} · {d.period.label}"
    return [
        Table("总体", ["范围", *TALLY_HEADERS], _tally_rows([d.overall]), note=note),
        Table("按板块", ["板块", *TALLY_HEADERS], _tally_rows(d.parts), note=note),
        Table("按领域", ["领域", *TALLY_HEADERS], _tally_rows(d.sectors), note=note),
        Table("按牵头单位", ["牵头单位", *TALLY_HEADERS], _tally_rows(d.units), note=note),
        Table(
            "趋势",
            ["周期", *[s.label for s in STATES]],
            [[p.label, *[counts[s] for s in STATES]] for p, counts in d.trend],
            note=f"{d.plan.name} · 各周期举措推进状态（项）",
        ),
        Table(
            "报送纪律",
            ["应报", *[Kind.LABELS[k] for k in DISCIPLINE_KINDS], "按时率"],
            [
                [
                    d.discipline.due,
                    *[d.discipline.count(k) for k in DISCIPLINE_KINDS],
                    percent(d.discipline.on_time_rate),
                ]
            ],
            note=note,
        ),
        Table(
            "红灯举措",
            ["编号", "重点任务", "关键举措", "牵头单位", "最近反映的问题", "反映周期", "反映单位"],
            [
                [
                    r.measure.code,
                    r.measure.task.title,
                    r.measure.text,
                    "、".join(r.lead_units),
                    r.problem_report.problems if r.problem_report else "",
                    r.problem_report.period.label if r.problem_report else "",
                    r.problem_report.unit.name if r.problem_report else "",
                ]
                for r in d.red
            ],
            widths=[8, 30, 50, 20, 50, 14, 16],
            note=f"{note} · 红灯举措 {d.red_total} 项，此表列前 {len(d.red)} 项；全部见举措台账导出",
        ),
    ]


def dashboard_export(request):
    if (elsewhere := _overview_only(request)) is not None:
        return elsewhere
    today, choice = _choice(request)
    if choice is None or choice.period is None:
        raise PermissionDenied("还没有报送周期，无可导出的数据。")
    d = dashboard(choice.plan, choice.period, today, choice.periods)
    return xlsx_response(f"驾驶舱_{d.period.label}", dashboard_tables(d))


# --- 报送纪律 --------------------------------------------------------------------------------------


def _discipline_context(request):
    today, choice = _choice(request)
    if choice is None or choice.period is None:
        return today, choice, None, []
    units = discipline_by_unit(choice.period, today)
    total = Discipline()
    for unit in units:
        total.add(unit.counts)
    return today, choice, total, units


def discipline_page(request):
    if (elsewhere := _overview_only(request)) is not None:
        return elsewhere
    _, choice, total, units = _discipline_context(request)
    if choice is None:
        return render(request, "tasks_app/no_plan.html")
    rows = []
    for unit in units:
        cells = [
            (unit.counts.count(kind), ledger_url(choice.period, discipline=kind, reporter=unit.unit_id))
            for kind in DISCIPLINE_KINDS
        ]
        rows.append((unit, cells))
    context = {
        "choice": choice,
        "total": total,
        "rows": rows,
        "kinds": [Kind.LABELS[k] for k in DISCIPLINE_KINDS],
    }
    return render(request, "tasks_app/insights/discipline.html", context)


def _discipline_row(name: str, counts) -> list:
    return [name, counts.due, *[counts.count(k) for k in DISCIPLINE_KINDS], percent(counts.on_time_rate)]


def discipline_export(request):
    if (elsewhere := _overview_only(request)) is not None:
        return elsewhere
    today, choice, total, units = _discipline_context(request)
    if choice is None or choice.period is None:
        raise PermissionDenied("还没有报送周期，无可导出的数据。")
    headers = ["单位", "应报", *[Kind.LABELS[k] for k in DISCIPLINE_KINDS], "按时率"]
    rows = [_discipline_row(u.unit_name, u.counts) for u in units] + [_discipline_row("合计", total)]
    table = Table(
        "报送纪律",
        headers,
        rows,
        widths=[28, 8, 10, 10, 16, 12, 10],
        note=f"{choice.plan.name} · {choice.period.label} · 截至{today:%Y年%m月%d日}",
    )
    return xlsx_response(f"报送纪律_{choice.period.label}", [table])
