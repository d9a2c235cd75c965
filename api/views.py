"""Read-only endpoints. Every queryset goes through tasks_app.access, exactly like the web pages:
office, leader and admin tokens read everything; a unit's token reads its unit's measures and the
reports ``reports_for`` lets it read (its own, and the others' on measures it leads)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from api.params import id_filter, id_param
from api.serializers import (
    IndicatorSerializer,
    MeasureSerializer,
    MeasureStateSerializer,
    PeriodSerializer,
    PlanSerializer,
    ReportSerializer,
    TaskSerializer,
    UnitSerializer,
)
from tasks_app.access import measures_for, reports_for
from tasks_app.lights import Light
from tasks_app.measure_status import MeasureState, current_period, measure_statuses
from tasks_app.models import (
    Indicator,
    IndicatorFigure,
    IndicatorTarget,
    MeasureUnit,
    Part,
    Period,
    Plan,
    Sector,
    Task,
    Unit,
)
from tasks_app.services.plans import default_plan

ID = r"[0-9]+"  # not \\d: it matches every Unicode digit


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ID


@extend_schema_view(list=extend_schema(summary="方案列表"), retrieve=extend_schema(summary="方案：阶段、板块、领域"))
class PlanViewSet(ReadOnly):
    serializer_class = PlanSerializer
    queryset = Plan.objects.prefetch_related(
        "phases",
        Prefetch(
            "parts",
            queryset=Part.objects.order_by("ordinal").prefetch_related(
                Prefetch("sectors", queryset=Sector.objects.order_by("ordinal"))
            ),
        ),
    ).order_by("pk")


@extend_schema_view(
    list=extend_schema(summary="重点任务", parameters=[id_filter("plan", "只列该方案的任务")]),
    retrieve=extend_schema(summary="一项重点任务"),
)
class TaskViewSet(ReadOnly):
    serializer_class = TaskSerializer

    def get_queryset(self):
        tasks = Task.objects.select_related("sector__part").order_by("plan_id", "number")
        if (plan := id_param(self.request, "plan")) is not None:
            tasks = tasks.filter(plan_id=plan)
        return tasks


@extend_schema_view(
    list=extend_schema(
        summary="关键举措（本人可见的）",
        parameters=[id_filter("plan", "只列该方案的举措"), id_filter("task", "只列该任务的举措")],
    ),
    retrieve=extend_schema(summary="一项关键举措"),
)
class MeasureViewSet(ReadOnly):
    serializer_class = MeasureSerializer

    def get_queryset(self):
        measures = (
            measures_for(self.request.user)
            .select_related("task")
            .prefetch_related(
                Prefetch("unit_links", queryset=MeasureUnit.objects.select_related("unit").order_by("order")),
                "targets__phase",
            )
            .order_by("task__plan_id", "task__number", "position")
        )
        if (plan := id_param(self.request, "plan")) is not None:
            measures = measures.filter(task__plan_id=plan)
        if (task := id_param(self.request, "task")) is not None:
            measures = measures.filter(task_id=task)
        return measures


@dataclass
class StateRow:
    measure_id: int
    period: int
    state: MeasureState
    light: Light


@extend_schema_view(
    list=extend_schema(
        summary="推进状态与红黄绿灯（本人可见的举措）",
        description="某一周期各举措的推进状态和红黄绿灯，口径与驾驶舱相同。不指定周期时为默认方案的当前周期。",
        parameters=[id_filter("period", "报送周期编号")],
    )
)
class MeasureStateViewSet(viewsets.GenericViewSet, viewsets.mixins.ListModelMixin):
    serializer_class = MeasureStateSerializer

    def get_queryset(self):
        today = timezone.localdate()
        period_id = id_param(self.request, "period")
        if period_id is not None:
            period = Period.objects.filter(pk=period_id).first()
        else:
            plan = default_plan()
            period = current_period(plan, today) if plan else None
        if period is None:
            return []
        measures = measures_for(self.request.user).filter(task__plan_id=period.plan_id)
        statuses = measure_statuses(period, today, measures)
        return [StateRow(s.measure_id, period.pk, s.state, s.light) for _, s in sorted(statuses.items())]


@extend_schema_view(
    list=extend_schema(summary="报送周期", parameters=[id_filter("plan", "只列该方案的周期")]),
    retrieve=extend_schema(summary="一个报送周期"),
)
class PeriodViewSet(ReadOnly):
    serializer_class = PeriodSerializer

    def get_queryset(self):
        periods = Period.objects.order_by("-start_date", "kind", "pk")
        if (plan := id_param(self.request, "plan")) is not None:
            periods = periods.filter(plan_id=plan)
        return periods


@extend_schema_view(
    list=extend_schema(summary="主要指标：目标与季度数值", parameters=[id_filter("plan", "只列该方案的指标")]),
    retrieve=extend_schema(summary="一项主要指标"),
)
class IndicatorViewSet(ReadOnly):
    serializer_class = IndicatorSerializer

    def get_queryset(self):
        indicators = (
            Indicator.objects.select_related("responsible_unit")
            .prefetch_related(
                Prefetch("targets", queryset=IndicatorTarget.objects.select_related("indicator").order_by("year")),
                Prefetch("figures", queryset=IndicatorFigure.objects.order_by("year", "quarter")),
            )
            .order_by("plan_id", "ordinal")
        )
        if (plan := id_param(self.request, "plan")) is not None:
            indicators = indicators.filter(plan_id=plan)
        return indicators


@extend_schema_view(
    list=extend_schema(
        summary="进展报告（本人可读的）",
        parameters=[
            id_filter("period", "只列该周期的报告"),
            id_filter("measure", "只列该举措的报告"),
            id_filter("unit", "只列该单位的报告"),
        ],
    ),
    retrieve=extend_schema(summary="一份进展报告"),
)
class ReportViewSet(ReadOnly):
    serializer_class = ReportSerializer

    def get_queryset(self):
        reports = reports_for(self.request.user).select_related("measure", "unit").order_by("-period_id", "pk")
        for name in ("period", "measure", "unit"):
            if (value := id_param(self.request, name)) is not None:
                reports = reports.filter(**{f"{name}_id": value})
        return reports


@extend_schema_view(list=extend_schema(summary="单位目录"), retrieve=extend_schema(summary="一个单位"))
class UnitViewSet(ReadOnly):
    serializer_class = UnitSerializer
    queryset = Unit.objects.order_by("sort_order", "name", "pk")
