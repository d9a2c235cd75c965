"""Indicators: quarterly figures filed by the responsible unit, progress against the straight path,
and the quantitative targets of measures tracked from the figures in reports."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tasks_app.insights.indicators import Point, indicators_progress, path_value
from tasks_app.models import Indicator, IndicatorFigure, MeasureUnit, TargetMetric, Unit
from tasks_app.services.accounts import user_create
from tasks_app.services.indicator_figures import IndicatorFigureError, indicator_figure_file
from tests.conftest import client_for
from tests.insights.conftest import TODAY
from tests.support.reporting import file_report, lead_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def stats_reporter(annex1):
    """钱填报 of 市统计局: files 规上工业总产值 and 规上工业企业数量."""
    return user_create(username="qian", role="reporter", unit=Unit.objects.get(name="市统计局"), name="钱填报")


def output(plan) -> Indicator:
    return Indicator.objects.get(plan=plan, code="industrial-output")


def test_the_straight_path_runs_through_each_milestone():
    path = [
        Point(dt.date(2025, 12, 31), Decimal("750")),
        Point(dt.date(2027, 12, 31), Decimal("975")),
        Point(dt.date(2030, 12, 31), Decimal("1500")),
    ]
    assert path_value(path, dt.date(2025, 12, 31)) == Decimal("750.00")
    assert path_value(path, dt.date(2026, 12, 31)) == Decimal("862.50")  # 365 of 730 days: half way
    assert path_value(path, dt.date(2027, 12, 31)) == Decimal("975.00")
    assert path_value(path, dt.date(2031, 6, 30)) == Decimal("1500")
    assert path_value(path, dt.date(2025, 1, 1)) is None
    assert path_value([], dt.date(2026, 1, 1)) is None


def test_the_responsible_unit_files_a_quarter_and_sees_its_progress(client, stats_reporter, annex1, on_28_november):
    client = client_for(client, stats_reporter)
    indicator = output(annex1)
    page = client.get(reverse("indicator-file", args=[indicator.pk]))
    assert page.status_code == 200
    # Quarters that have ended only: the fourth quarter of 2026 is not over on 28 November.
    choices = [value for value, _ in page.context["form"].fields["period"].choices]
    assert choices[0] == "2026-3" and "2026-4" not in choices
    response = client.post(
        reverse("indicator-file", args=[indicator.pk]), {"period": "2026-3", "value": "800", "note": "快报数"}
    )
    assert response.status_code == 302
    figure = IndicatorFigure.objects.get(indicator=indicator)
    assert (figure.year, figure.quarter, figure.value, figure.filed_by) == (2026, 3, Decimal("800.00"), stats_reporter)

    progress = next(p for p in indicators_progress(annex1) if p.indicator == indicator)
    # 750 → 1500 by 2030: 50 of 750 is 6.7%; the path to +30% by 2027 stands at 834.14 on 30 September 2026.
    assert progress.progress_percent == 6.7
    assert progress.expected == Decimal("834.14") and progress.on_path is False


def test_a_correction_overwrites_and_history_keeps_the_first_value(stats_reporter, annex1, on_28_november):
    indicator = output(annex1)
    for value in ("800", "812.5"):
        indicator_figure_file(
            indicator=indicator, user=stats_reporter, year=2026, quarter=3, value=value, note="", today=TODAY
        )
    figure = IndicatorFigure.objects.get(indicator=indicator)
    assert figure.value == Decimal("812.50")
    assert sorted(h.value for h in figure.history.all()) == [Decimal("800.00"), Decimal("812.50")]


@pytest.mark.parametrize(
    ("year", "quarter", "value", "message"),
    [
        (2026, 4, "900", "尚未结束"),
        (2025, 4, "700", "方案期内"),
        (2026, 3, "八百", "不是数字"),
        (2026, 3, "1e20", "超出"),
    ],
)
def test_wrong_input_is_refused_and_nothing_written(stats_reporter, annex1, year, quarter, value, message):
    with pytest.raises(IndicatorFigureError) as refused:
        indicator_figure_file(
            indicator=output(annex1), user=stats_reporter, year=year, quarter=quarter, value=value, note="", today=TODAY
        )
    assert message in str(refused.value) + " ".join(refused.value.field_errors.values())
    assert not IndicatorFigure.objects.exists()


def test_only_the_responsible_unit_files(client, energy_reporter, office, annex1, on_28_november):
    indicator = output(annex1)
    for person in (energy_reporter, office):
        assert client_for(client, person).get(reverse("indicator-file", args=[indicator.pk])).status_code == 403
        with pytest.raises(IndicatorFigureError):
            indicator_figure_file(
                indicator=indicator, user=person, year=2026, quarter=3, value="1", note="", today=TODAY
            )
    # 市能源局 is responsible for 电力装机规模 and sees the button for it only.
    power = Indicator.objects.get(plan=annex1, code="power-capacity")
    page = client_for(client, energy_reporter).get(reverse("indicators")).content.decode()
    assert reverse("indicator-file", args=[power.pk]) in page
    assert reverse("indicator-file", args=[indicator.pk]) not in page


def test_the_page_shows_progress_bars_and_the_chart_data(client, leader, stats_reporter, annex1, on_28_november):
    indicator = output(annex1)
    for quarter, value in ((1, "760"), (2, "790"), (3, "800")):
        indicator_figure_file(
            indicator=indicator, user=stats_reporter, year=2026, quarter=quarter, value=value, note="", today=TODAY
        )
    response = client_for(client, leader).get(reverse("indicators"))
    page = response.content.decode()
    assert re.search(rf'<progress id="progress-{indicator.pk}" max="100" value="6\.66', page)
    charts = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page).group(1))
    chart = charts[f"indicator-{indicator.pk}"]
    assert chart["categories"][:4] == ["基期", "2026年第一季度", "2026年第二季度", "2026年第三季度"]
    actual, path = chart["series"]
    assert actual["data"][:5] == [750.0, 760.0, 790.0, 800.0, None]
    assert path["data"][0] == 750.0 and path["data"][8] == 975.0  # end of 2027: the +30% milestone
    assert path["data"][-1] == 1500.0


def test_quantitative_targets_of_measures_follow_the_figures_in_reports(client, office, autumn, on_28_november):
    """Task 4's 筑基期 target: 产能 120万吨; 市能源局 files 80 in November."""
    metric = TargetMetric.objects.get(measure__code="4", name="产能")
    file_report(lead_report(autumn.november, "4"), status="on_track", progress="产能核增。", figures={metric.pk: "80"})
    client = client_for(client, office)
    metrics = {m.metric.pk: m for m in client.get(reverse("indicators")).context["metrics"]}
    assert len(metrics) == TargetMetric.objects.count() == 17
    progress = metrics[metric.pk]
    assert progress.latest[1] == Decimal("80.00") and progress.reached_percent == 66.7
    detail = client.get(reverse("metric-detail", args=[metric.pk]))
    assert detail.status_code == 200
    chart = detail.context["charts"]["metric"]
    assert chart["categories"] == ["2026年11月 月调度", "2027年底（目标）"]
    assert chart["series"][0]["data"] == [80.0, None] and chart["series"][1]["data"] == [80.0, 120.0]


def test_a_unit_sees_targets_of_its_measures_and_figures_it_may_read(client, autumn, on_28_november):
    metric = TargetMetric.objects.get(measure__code="4", name="产能")
    file_report(lead_report(autumn.november, "4"), status="on_track", progress="产能核增。", figures={metric.pk: "80"})
    supporter = (
        MeasureUnit.objects.filter(measure=metric.measure, role="support").exclude(unit__kind="collective").first().unit
    )
    person = user_create(username="support4", role="reporter", unit=supporter)
    client = client_for(client, person)
    metrics = {m.metric.pk: m for m in client.get(reverse("indicators")).context["metrics"]}
    # A supporting unit sees the measure's target, not the lead unit's report behind the figure.
    assert metric.pk in metrics and metrics[metric.pk].latest is None
    others = TargetMetric.objects.exclude(measure__unit_links__unit=supporter)
    assert others.exists() and not set(others.values_list("pk", flat=True)) & set(metrics)


def test_the_indicators_export(client, leader, stats_reporter, annex1, on_28_november):
    indicator_figure_file(
        indicator=output(annex1), user=stats_reporter, year=2026, quarter=3, value="800", note="=快报", today=TODAY
    )
    response = client_for(client, leader).get(reverse("indicators-export"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["主要指标", "季度数值", "量化目标"]
    rows = {row[0]: row for row in book["主要指标"].iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"规上工业总产值", "优势特色制造业产值", "电力装机规模", "规上工业企业数量", "零碳园区"}
    assert rows["规上工业总产值"][4] == 800 and rows["规上工业总产值"][6] == "6.7%"
    figures = list(book["季度数值"].iter_rows(min_row=2))
    assert figures[0][3].value == "=快报" and figures[0][3].data_type == "s"
    assert book["量化目标"].max_row == 18  # header and 17 targets
