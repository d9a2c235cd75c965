"""主要指标 and 量化目标: progress against the straight path to target; quarterly filing by the
responsible unit; XLSX export."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from tasks_app.access import can_file_indicator
from tasks_app.insights.exports import Table, percent, xlsx_response
from tasks_app.insights.indicators import (
    chart_table,
    indicator_chart,
    indicators_progress,
    metric_chart,
    metric_progress,
    metrics_all,
    metrics_progress,
    plan_quarters,
)
from tasks_app.models import Indicator, IndicatorFigure
from tasks_app.models.insights import quarter_end, quarter_label
from tasks_app.services.indicator_figures import IndicatorFigureError, indicator_figure_file
from tasks_app.services.plans import default_plan


def _plan():
    plan = default_plan()
    if plan is None:
        raise Http404("还没有方案")
    return plan


def indicators_page(request):
    plan = _plan()
    progress = indicators_progress(plan)
    page, metrics = metrics_progress(request.user, plan, request.GET.get("page", 1))
    charts = {f"indicator-{p.indicator.pk}": indicator_chart(p, plan) for p in progress}
    context = {
        "plan": plan,
        "indicators": [
            (p, can_file_indicator(request.user, p.indicator), chart_table(charts[f"indicator-{p.indicator.pk}"]))
            for p in progress
        ],
        "charts": charts,
        "series_names": ["实际", "目标路径"],
        "metrics": metrics,
        "page": page,
    }
    return render(request, "tasks_app/insights/indicators.html", context)


def metric_detail(request, pk: int):
    plan = _plan()
    progress = metric_progress(request.user, plan, pk)
    if progress is None:
        raise Http404("量化目标不存在或无权查看")
    chart = metric_chart(progress)
    context = {"plan": plan, "m": progress, "charts": {"metric": chart}, "rows": chart_table(chart)}
    return render(request, "tasks_app/insights/metric_detail.html", context)


class IndicatorFigureForm(forms.Form):
    period = forms.ChoiceField(label="季度")
    value = forms.CharField(label="数值", max_length=30)
    note = forms.CharField(label="数据说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=500)

    def __init__(self, *args, quarters: list[tuple[int, int]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(f"{y}-{q}", quarter_label(y, q)) for y, q in reversed(quarters)]


def indicator_file(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.select_related("plan", "responsible_unit"), pk=pk)
    if not can_file_indicator(request.user, indicator):
        raise PermissionDenied(f"“{indicator.name}”由{indicator.responsible_unit or '指定单位'}填报。")
    today = timezone.localdate()
    quarters = [(y, q) for y, q in plan_quarters(indicator.plan) if quarter_end(y, q) <= today]
    form = IndicatorFigureForm(request.POST or None, quarters=quarters)
    status = 200
    if request.method == "POST" and form.is_valid():
        year, quarter = (int(x) for x in form.cleaned_data["period"].split("-"))
        try:
            figure = indicator_figure_file(
                indicator=indicator,
                user=request.user,
                year=year,
                quarter=quarter,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                today=today,
            )
        except IndicatorFigureError as exc:
            form.add_error(None, str(exc))
            for name, text in exc.field_errors.items():
                form.add_error(name if name in form.fields else None, text)
        else:
            messages.success(
                request, f"已保存{figure.label}{indicator.name}：{figure.value}{indicator.unit_of_measure}。"
            )
            return redirect("indicator-file", pk=indicator.pk)
    if request.method == "POST":
        status = 400
    figures = (
        IndicatorFigure.objects.filter(indicator=indicator).select_related("filed_by").order_by("-year", "-quarter")
    )
    context = {"indicator": indicator, "form": form, "figures": figures}
    return render(request, "tasks_app/insights/indicator_file.html", context, status=status)


def indicators_export(request):
    plan = _plan()
    progress = indicators_progress(plan)
    metrics = metrics_all(request.user, plan)
    summary = Table(
        "主要指标",
        ["指标", "计量单位", "基期值", "目标", "最新数值", "最新季度", "较基期完成进度", "目标路径应达", "填报单位"],
        [
            [
                p.indicator.name,
                p.indicator.unit_of_measure,
                p.indicator.baseline_value,
                "；".join(f"{t.year}年：{t.target_value}（{t.text}）" for t in p.targets),
                p.latest.value if p.latest else None,
                p.latest.label if p.latest else "",
                percent(p.progress),
                p.expected,
                p.indicator.responsible_unit.name if p.indicator.responsible_unit else "",
            ]
            for p in progress
        ],
        widths=[18, 8, 10, 50, 10, 14, 12, 12, 14],
        note=plan.name,
    )
    figures = Table(
        "季度数值",
        ["指标", "季度", "数值", "数据说明"],
        [[p.indicator.name, f.label, f.value, f.note] for p in progress for f in p.figures],
        widths=[18, 16, 12, 40],
    )
    targets = Table(
        "量化目标",
        ["举措", "阶段", "指标", "目标值", "计量单位", "最新数值", "最新周期", "已达目标值", "原文"],
        [
            [
                m.metric.measure.label,
                m.metric.phase.name,
                m.metric.name,
                m.metric.target_value,
                m.metric.unit_of_measure,
                m.latest[1] if m.latest else None,
                m.latest[0].period.label if m.latest else "",
                percent(m.reached),
                m.metric.source_text,
            ]
            for m in metrics
        ],
        widths=[10, 8, 18, 10, 8, 10, 12, 10, 50],
    )
    return xlsx_response("主要指标", [summary, figures, targets])
