"""A measure's state and light come from its lead units' reports."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks_app.lights import Light
from tasks_app.measure_status import NOT_FILED, measure_statuses
from tasks_app.models import Measure, Report
from tasks_app.services.reports import ReportInput, report_submit

pytestmark = pytest.mark.django_db
D = dt.date


def test_state_and_light_per_measure(november, energy_reporter, industry_reporter):
    task1 = Report.objects.get(period=november, measure__task__number=1, unit__name="市能源局")
    report_submit(report=task1, user=energy_reporter, data=ReportInput("on_track", "按计划推进。"), version=0)
    task2 = Report.objects.get(period=november, measure__task__number=2, unit__name="市能源局")
    report_submit(report=task2, user=energy_reporter, data=ReportInput("behind", "延误。", "资金未到位。"), version=0)
    # task 10 has two lead units: 市能源局 on track, 市工信局 not filed yet
    task10 = {r.unit.name: r for r in Report.objects.filter(period=november, measure__task__number=10, role="lead")}
    report_submit(report=task10["市能源局"], user=energy_reporter, data=ReportInput("on_track", "推进。"), version=0)
    ids = list(Measure.objects.filter(task__number__in=[1, 2, 10, 45]).values_list("pk", flat=True))
    statuses = measure_statuses(november, D(2026, 11, 26), ids)
    by_task = {Measure.objects.get(pk=k).task.number: v for k, v in statuses.items()}
    assert (by_task[1].state, by_task[1].light) == ("on_track", Light.GREEN)
    assert (by_task[2].state, by_task[2].light) == ("behind", Light.RED)
    assert by_task[10].state == NOT_FILED and by_task[10].light == Light.RED  # the later lead is overdue
    assert by_task[45].state == NOT_FILED and by_task[45].light == Light.GREY  # nobody asked yet (no members)
    assert by_task[2].report.problems == "资金未到位。"
    assert by_task[2].state_label == "滞后"


def test_the_query_count_does_not_grow_with_measures(november, django_assert_num_queries):
    with django_assert_num_queries(1):
        measure_statuses(november, D(2026, 11, 20))
