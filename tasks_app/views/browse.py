"""The task browser: the plan as issued, a task, the unit directory, a unit."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from tasks_app.models import Plan, Unit
from tasks_app.selectors import plan_overview, task_for_display, unit_directory_groups, unit_responsibilities
from tasks_app.services.plans import default_plan


def home(request):
    plan = default_plan()
    if plan is None:
        return render(request, "tasks_app/no_plan.html")
    return _plan_page(request, plan)


def plan_detail(request, pk: int):
    return _plan_page(request, get_object_or_404(Plan, pk=pk))


def _plan_page(request, plan: Plan):
    parts = plan_overview(plan)
    context = {
        "plan": plan,
        "parts": parts,
        "phases": plan.phases.all(),
        "task_count": sum(p.task_count for p in parts),
        "revision": plan.latest_revision,
        "other_plans": Plan.objects.exclude(pk=plan.pk),
    }
    return render(request, "tasks_app/plan_detail.html", context)


def task_detail(request, pk: int):
    task = task_for_display(pk)
    return render(request, "tasks_app/task_detail.html", {"task": task, "plan": task.plan})


def unit_list(request):
    return render(request, "tasks_app/unit_list.html", {"groups": unit_directory_groups()})


def unit_detail(request, pk: int):
    unit = get_object_or_404(Unit.objects.prefetch_related("aliases", "members", "collectives"), pk=pk)
    plan = default_plan()
    roles = unit_responsibilities(unit, plan)
    return render(request, "tasks_app/unit_detail.html", {"unit": unit, "plan": plan, "roles": roles})
