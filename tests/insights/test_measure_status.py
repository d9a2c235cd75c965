"""A measure's state and light come from its lead units' reports of the period, the worst of them."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest

from tasks_app.lights import Light, report_light
from tasks_app.measure_status import (
    LIGHT_BY_RANK,
    MeasureState,
    current_period,
    light_rank_expression,
    measure_statuses,
    state_counts_by_period,
)
from tasks_app.models import Measure, ProgressStatus, Report, ReportState
from tests.insights.conftest import TODAY

pytestmark = pytest.mark.django_db


def status_of(statuses, code: str):
    return statuses[Measure.objects.get(code=code, task__plan__is_default=True).pk]


def test_the_sql_light_agrees_with_report_light_on_every_combination(november):
    """The database computes lights for thousands of measures at once; it must say what report_light says."""
    today = dt.date(2026, 11, 20)
    combinations = list(
        itertools.product(
            ReportState.values,
            ["", *ProgressStatus.values],
            [-10, -1, 0, 1, 2, 3, 4, 10],  # deadline relative to today
        )
    )
    reports = list(Report.objects.filter(period=november).order_by("pk")[: len(combinations)])
    assert len(reports) == len(combinations) == 240
    for report, (state, status, offset) in zip(reports, combinations, strict=True):
        report.state, report.progress_status, report.due_date = state, status, today + dt.timedelta(days=offset)
    Report.objects.bulk_update(reports, ["state", "progress_status", "due_date"])

    in_sql = dict(
        Report.objects.filter(pk__in=[r.pk for r in reports])
        .annotate(rank=light_rank_expression(today))
        .values_list("pk", "rank")
    )
    disagreements = [
        (r.state, r.progress_status, (r.due_date - today).days, report_light(r, today), LIGHT_BY_RANK[in_sql[r.pk]])
        for r in reports
        if report_light(r, today) != LIGHT_BY_RANK[in_sql[r.pk]]
    ]
    assert disagreements == []


def test_each_measure_takes_the_worst_of_its_lead_reports(autumn, on_28_november):
    statuses = measure_statuses(autumn.november, TODAY)
    assert (status_of(statuses, "1").state, status_of(statuses, "1").light) == (MeasureState.ON_TRACK, Light.GREEN)
    assert (status_of(statuses, "3").state, status_of(statuses, "3").light) == (MeasureState.DONE, Light.GREEN)
    assert (status_of(statuses, "6").state, status_of(statuses, "6").light) == (MeasureState.BEHIND, Light.RED)
    # Two lead units: 正常推进 and 滞后 make 滞后.
    assert status_of(statuses, "10").state == MeasureState.BEHIND
    # One lead unit done, the other silent past the deadline: done, but red.
    assert (status_of(statuses, "12").state, status_of(statuses, "12").light) == (MeasureState.DONE, Light.RED)
    assert (status_of(statuses, "15").state, status_of(statuses, "15").light) == (
        MeasureState.NOT_STARTED,
        Light.YELLOW,
    )
    assert (status_of(statuses, "2").state, status_of(statuses, "2").light) == (MeasureState.UNREPORTED, Light.RED)


def test_a_supporting_units_report_does_not_move_the_measure(autumn, on_28_november):
    supporting = Report.objects.get(period=autumn.november, measure__code="1", unit__name="市自然资源局")
    assert supporting.progress_status == ProgressStatus.BEHIND and supporting.is_filed
    assert status_of(measure_statuses(autumn.november, TODAY), "1").light == Light.GREEN


def test_a_draft_or_returned_report_is_not_the_units_word_yet(autumn, on_28_november, office):
    from tasks_app.services.reports import report_review

    report = Report.objects.get(period=autumn.november, measure__code="3", role="lead")
    report_review(report=report, user=office, accept=False, comment="请补充完成情况的佐证材料。")
    assert status_of(measure_statuses(autumn.november, TODAY), "3").state == MeasureState.UNREPORTED


def test_before_the_deadline_an_unfiled_measure_is_grey(autumn):
    statuses = measure_statuses(autumn.november, dt.date(2026, 11, 10))
    assert (status_of(statuses, "2").state, status_of(statuses, "2").light) == (MeasureState.UNREPORTED, Light.GREY)


def test_all_measures_of_a_period_in_one_query(autumn, django_assert_num_queries):
    with django_assert_num_queries(1):
        statuses = measure_statuses(autumn.november, TODAY)
    # 42, 43 and 45 are led by collectives nobody has designated yet (各产业链牵头单位, 各行业主管部门):
    # no report was requested, so they have no status of their own (pages show them as 未报送, grey).
    unjudged = Measure.objects.filter(task__plan=autumn.plan).exclude(pk__in=statuses)
    assert sorted(unjudged.values_list("code", flat=True)) == ["42", "43", "45"]
    assert len(statuses) == 49


def test_the_trend_counts_what_measure_statuses_says_per_period(autumn, django_assert_num_queries):
    periods = [autumn.october, autumn.november]
    with django_assert_num_queries(1):
        counts = state_counts_by_period(periods)
    for period in periods:
        expected = Counter(s.state for s in measure_statuses(period, TODAY).values())
        assert counts[period.pk] == expected
    assert counts[autumn.november.pk][MeasureState.BEHIND] == 2
    assert counts[autumn.october.pk][MeasureState.NOT_STARTED] == 1


def test_a_narrowed_set_of_measures(autumn):
    energy = Measure.objects.filter(unit_links__unit__name="市能源局", unit_links__role="lead")
    statuses = measure_statuses(autumn.november, TODAY, energy)
    assert set(statuses) == set(energy.values_list("pk", flat=True))


def test_the_current_period_is_the_latest_month_that_has_started(autumn):
    assert current_period(autumn.plan, dt.date(2026, 11, 28)) == autumn.november
    assert current_period(autumn.plan, dt.date(2026, 10, 31)) == autumn.october
    # Before any period started: the latest there is.
    assert current_period(autumn.plan, dt.date(2026, 1, 1)) == autumn.november
