"""单位评分卡: for the unit itself, the supervision office and leaders; exports to XLSX."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from tasks_app.access import access_scorecard_unit
from tasks_app.insights.exports import Table, percent, xlsx_response
from tasks_app.insights.scorecard import Scorecard, ScoredMeasure, scorecard
from tasks_app.measure_status import STATES, current_period
from tasks_app.services.plans import default_plan

PERIOD_HEADERS = [
    "周期",
    "应报",
    "按时报送",
    "逾期报送",
    "未报送（已逾期）",
    "未到截止日",
    "按时率",
    "被退回",
    "退回率",
]


def _scorecard(request, pk: int) -> Scorecard:
    unit = access_scorecard_unit(request.user, pk)
    today = timezone.localdate()
    plan = default_plan()
    period = current_period(plan, today) if plan else None
    return scorecard(unit, plan, period, today)


def scorecard_page(request, pk: int):
    card = _scorecard(request, pk)
    states = [(s.label, card.lead_states[s]) for s in STATES]
    return render(request, "tasks_app/insights/scorecard.html", {"card": card, "lead_states": states})


def _measure_rows(items: list[ScoredMeasure]) -> list[list]:
    return [
        [
            item.role.measure.code,
            item.role.measure.task.title,
            item.role.measure.text,
            item.role.via.name if item.role.via else "",
            item.status.state.label,
            item.status.light.label,
        ]
        for item in items
    ]


def scorecard_export(request, pk: int):
    card = _scorecard(request, pk)
    measure_headers = ["编号", "重点任务", "关键举措", "通过集合单位承担", "推进状态", "红黄绿灯"]
    widths = [8, 30, 50, 16, 10, 8]
    note = f"{card.unit.name} · {card.period.label if card.period else '暂无报送周期'}"
    periods = [
        [
            s.period.label,
            s.discipline.due,
            s.discipline.on_time,
            s.discipline.late,
            s.discipline.missing,
            s.discipline.pending,
            percent(s.discipline.on_time_rate),
            s.returned,
            percent(s.returned_rate),
        ]
        for s in card.periods
    ]
    return xlsx_response(
        f"单位评分卡_{card.unit.name}",
        [
            Table("牵头的举措", measure_headers, _measure_rows(card.lead), widths, note),
            Table("参与的举措", measure_headers, _measure_rows(card.support), widths, note),
            Table("按时报送与退回", PERIOD_HEADERS, periods, note=card.unit.name),
        ],
    )
