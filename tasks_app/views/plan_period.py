"""Which plan and period a dashboard-style page shows: ``?plan=`` and ``?period=``, else the default
plan and its current period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404

from tasks_app.insights.dashboard import plan_periods
from tasks_app.insights.params import query_id
from tasks_app.measure_status import current_period
from tasks_app.models import Period, Plan
from tasks_app.services.plans import default_plan


@dataclass
class PlanPeriod:
    plan: Plan
    period: Period | None
    periods: list[Period]


def plan_and_period(request, today: dt.date) -> PlanPeriod | None:
    """None when there is no plan at all; 404 for a plan or period id that does not exist."""
    plan_id = query_id(request.GET.get("plan"))
    plan = Plan.objects.filter(pk=plan_id).first() if plan_id is not None else default_plan()
    if plan is None:
        if plan_id is not None:
            raise Http404("方案不存在")
        return None
    periods = plan_periods(plan)
    period_id = query_id(request.GET.get("period"))
    if period_id is not None:
        period = next((p for p in periods if p.pk == period_id), None)
        if period is None:
            raise Http404("周期不存在")
    else:
        period = current_period(plan, today, periods)
    return PlanPeriod(plan, period, periods)
