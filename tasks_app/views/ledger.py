"""举措台账: the measures behind every number of the dashboard, and their XLSX export."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from tasks_app.access import is_reviewer
from tasks_app.insights.discipline import Kind
from tasks_app.insights.exports import Table, xlsx_response
from tasks_app.insights.ledger import LedgerFilters, ledger_ids, ledger_page, ledger_rows
from tasks_app.lights import Light
from tasks_app.measure_status import MeasureState
from tasks_app.models import Part, Sector, Unit
from tasks_app.views.plan_period import plan_and_period

LEDGER_HEADERS = [
    "编号",
    "板块",
    "领域",
    "重点任务",
    "关键举措",
    "牵头单位",
    "责任单位/地区",
    "推进状态",
    "红黄绿灯",
    "最新进展周期",
    "最新进展",
    "存在问题",
    "下步计划",
]
LEDGER_WIDTHS = [8, 20, 18, 28, 50, 18, 28, 10, 8, 12, 50, 40, 40]


def _filter_labels(filters: LedgerFilters) -> list[str]:
    """The active filters in words, for the page heading and the export's note line."""
    labels = []
    if filters.state:
        labels.append(f"状态：{MeasureState(filters.state).label}")
    if filters.light:
        labels.append(f"灯：{Light(filters.light).label}")
    if filters.part is not None:
        labels.append(f"板块：{Part.objects.filter(pk=filters.part).values_list('heading', flat=True).first() or '—'}")
    if filters.sector is not None:
        sector = Sector.objects.filter(pk=filters.sector).first()
        labels.append(f"领域：{sector.short_name if sector else '—'}")
    if filters.lead_unit is not None:
        labels.append(f"牵头单位：{Unit.objects.filter(pk=filters.lead_unit).values_list('name', flat=True).first()}")
    if filters.discipline:
        labels.append(f"报送：{Kind.LABELS[filters.discipline]}")
    if filters.reporter is not None:
        labels.append(f"报送单位：{Unit.objects.filter(pk=filters.reporter).values_list('name', flat=True).first()}")
    return labels


def _setup(request):
    today = timezone.localdate()
    choice = plan_and_period(request, today)
    return today, choice, LedgerFilters.from_query(request.GET)


def ledger(request):
    today, choice, filters = _setup(request)
    if choice is None:
        return render(request, "tasks_app/no_plan.html")
    context = {"choice": choice, "filters": filters, "filter_labels": _filter_labels(filters)}
    if choice.period is not None:
        page, rows = ledger_page(request.user, choice.plan, choice.period, filters, today, request.GET.get("page", 1))
        query = {"period": choice.period.pk, "plan": choice.plan.pk, **filters.as_query()}
        context |= {"page": page, "rows": rows, "query": query, "can_mark_public": is_reviewer(request.user)}
    return render(request, "tasks_app/insights/ledger.html", context)


def ledger_export(request):
    today, choice, filters = _setup(request)
    if choice is None or choice.period is None:
        raise PermissionDenied("还没有报送周期，无可导出的数据。")
    ids, statuses = ledger_ids(request.user, choice.plan, choice.period, filters, today)
    rows = []
    for row in ledger_rows(request.user, ids, statuses, choice.period):
        m, latest = row.measure, row.latest
        rows.append(
            [
                m.code,
                m.task.sector.part.heading,
                m.task.sector.short_name,
                m.task.title,
                m.text,
                "、".join(row.lead_units),
                "、".join(row.support_units),
                row.status.state.label,
                row.status.light.label,
                latest.period.label if latest else "",
                latest.progress if latest else "",
                latest.problems if latest else "",
                latest.next_steps if latest else "",
            ]
        )
    note = " · ".join([choice.plan.name, choice.period.label, *_filter_labels(filters), f"导出于{today:%Y年%m月%d日}"])
    return xlsx_response(
        f"举措台账_{choice.period.label}", [Table("举措台账", LEDGER_HEADERS, rows, LEDGER_WIDTHS, note)]
    )
