"""领导驾驶舱: the plan by state and light, each number a link to exactly the measures it counts."""

from __future__ import annotations

import hashlib
import html
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from tasks_app.insights.dashboard import dashboard
from tasks_app.lights import Light
from tasks_app.measure_status import MeasureState, current_period
from tasks_app.models import Report, Sector
from tests.conftest import client_for
from tests.insights.conftest import TODAY
from tests.support.autumn import file_autumn
from tests.support.reporting import file_report, lead_report, open_month

pytestmark = pytest.mark.django_db

LEDGER_LINK = re.compile(r'<a href="(/ledger/\?[^"]+)">(\d+)</a>')


def dashboard_of(client, period):
    return client.get(reverse("dashboard"), {"period": period.pk})


def test_a_leader_sees_the_plan_by_state_and_light(client, leader, autumn, on_28_november):
    response = dashboard_of(client_for(client, leader), autumn.november)
    assert response.status_code == 200
    d = response.context["d"]
    assert d.overall.total == 52
    # Red: 43 measures nobody filed, plus 6 (滞后), 10 (a lead unit 滞后) and 12 (a lead unit silent).
    assert dict(d.overall.lights) == {Light.RED: 46, Light.YELLOW: 1, Light.GREEN: 2, Light.GREY: 3}
    assert d.overall.states[MeasureState.BEHIND] == 2
    assert d.overall.states[MeasureState.DONE] == 2
    assert [t.label for t in d.parts] == [
        "一、推进五业协同，实现传统产业升级与新兴产业突破",
        "二、强化四维赋能，为工业转型升级提供有力支撑",
        "三、保障措施",
    ]
    coal = next(t for t in d.sectors if t.label == "煤炭产业")
    assert (coal.total, coal.lights[Light.GREEN], coal.lights[Light.RED]) == (4, 2, 2)
    energy = next(t for t in d.units if t.label == "市能源局")
    assert energy.total == 14 and energy.states[MeasureState.DONE] == 1
    page = response.content.decode()
    assert "领导驾驶舱" in page and "2026年11月" in page


def test_every_number_links_to_exactly_the_measures_it_counts(client, leader, autumn, on_28_november):
    client = client_for(client, leader)
    page = dashboard_of(client, autumn.november).content.decode()
    # The tables of parts, sectors, lead units and the trend (the discipline table counts reports, see below).
    tallies = r'<table class="tally" id="(?:parts|sector-table|unit-table|trend-table)".*?</table>'
    tables = re.findall(tallies, page, re.S)
    links = {(html.unescape(url), int(count)) for table in tables for url, count in LEDGER_LINK.findall(table)}
    assert len(links) > 100
    for url, count in sorted(links):
        ledger = client.get(url)
        assert ledger.context["page"].paginator.count == count, url


def test_a_red_sector_leads_to_its_red_measures(client, leader, autumn, on_28_november):
    client = client_for(client, leader)
    page = dashboard_of(client, autumn.november).content.decode()
    row = re.search(r'<tr data-group="电力产业">.*?</tr>', page, re.S).group(0)
    url, count = re.search(r'<td class="n" data-light="red"><a href="([^"]+)">(\d+)</a>', row).groups()
    rows = client.get(html.unescape(url)).context["rows"]
    assert len(rows) == int(count) == 4
    power = Sector.objects.get(heading__contains="电力产业")
    assert {r.measure.code for r in rows} == {"5", "6", "7", "8"}
    assert all(r.status.light == Light.RED and r.measure.task.sector_id == power.pk for r in rows)


def test_red_measures_come_with_the_last_problem_reported(client, leader, autumn, on_28_november):
    d = dashboard_of(client_for(client, leader), autumn.november).context["d"]
    problems = {r.measure.code: r.problem_report.problems for r in d.red if r.problem_report}
    assert problems["6"] == "储能项目用地预审未通过"
    assert problems["10"] == "配套资金未到位"
    assert d.red_total == 46 and len(d.red) == 20


def test_this_periods_discipline(client, leader, autumn, on_28_november):
    client = client_for(client, leader)
    d = dashboard_of(client, autumn.november).context["d"]
    # Filed: 1, 3, 10 (two), 12, 15 and the supporting report on 1 on time; 6 late; the rest missing.
    assert (d.discipline.on_time, d.discipline.late) == (7, 1)
    assert d.discipline.missing == d.discipline.due - 8 and d.discipline.pending == 0
    late = client.get(d.discipline_cells["late"].url).context["rows"]
    assert [r.measure.code for r in late] == ["6"]
    worst = d.worst_units[0]
    assert worst.counts.missing == max(u.counts.missing for u in d.worst_units)


def test_the_trend_shows_each_period(client, leader, autumn, on_28_november):
    d = dashboard_of(client_for(client, leader), autumn.november).context["d"]
    assert [p.label for p, _ in d.trend] == ["2026年10月 月调度", "2026年11月 月调度"]
    october = d.trend[0][1]
    assert october[MeasureState.ON_TRACK] == 3 and october[MeasureState.NOT_STARTED] == 1


# session; user; plan; periods; sectors; counts by sector and by lead unit; lead units' names; trend;
# units' discipline; red total; red measures with their last problem; their lead units; the problems'
# reports; unread inbox. (One fewer when no red measure has a problem on record: every stage has one.)
DASHBOARD_QUERIES = 14


def test_the_dashboard_costs_the_same_queries_whatever_the_size(
    client, leader, annex1, on_28_november, django_assert_num_queries
):
    from bench.synthetic import seed_scale

    client = client_for(client, leader)
    november = open_month(annex1, 11)
    file_report(lead_report(november, "7"), status="behind", progress="改造推进中。", problems="电网改造资金缺口")
    with django_assert_num_queries(DASHBOARD_QUERIES):
        small = client.get(reverse("dashboard"))
    file_autumn(annex1)
    for month in range(4, 10):
        open_month(annex1, month)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        larger = client.get(reverse("dashboard"), {"period": november.pk})
    assert len(larger.context["d"].trend) == 8 > len(small.context["d"].trend)

    # Another plan six times the size, with three months of reports, one of them naming a problem.
    scale = seed_scale(measures=300, units=40, months=3, end=TODAY)
    first_red = dashboard(scale.plan, current_period(scale.plan, TODAY), TODAY).red[0].measure
    Report.objects.filter(measure=first_red, state="accepted").update(problems="项目用地未落实")
    with django_assert_num_queries(DASHBOARD_QUERIES):
        large = client.get(reverse("dashboard"), {"plan": scale.plan.pk})
    d = large.context["d"]
    assert d.overall.total == 300 and d.red_total > 20
    assert d.red[0].problem_report.problems == "项目用地未落实"


def test_a_unit_user_is_sent_to_their_own_scorecard(client, energy_reporter, autumn):
    response = client_for(client, energy_reporter).get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("unit-scorecard", args=[energy_reporter.unit_id])


def test_without_periods_the_dashboard_says_so(client, office, annex1):
    response = client_for(client, office).get(reverse("dashboard"))
    assert response.status_code == 200
    assert "还没有开启任何报送周期" in response.content.decode()


def test_the_dashboard_exports_every_table(client, leader, autumn, on_28_november):
    response = client_for(client, leader).get(reverse("dashboard-export"), {"period": autumn.november.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["总体", "按板块", "按领域", "按牵头单位", "趋势", "报送纪律", "红灯举措"]
    sectors = book["按领域"]
    header = [c.value for c in sectors[2]]
    assert header[:2] == ["领域", "举措数"] and "红灯" in header
    coal = next(row for row in sectors.iter_rows(min_row=3, values_only=True) if row[0] == "煤炭产业")
    assert coal[1] == 4 and coal[header.index("红灯")] == 2
    red = book["红灯举措"]
    assert any(row[4] == "储能项目用地预审未通过" for row in red.iter_rows(min_row=3, values_only=True))


def test_the_page_keeps_scripts_out_of_the_html(client, leader, autumn, on_28_november):
    """A Content-Security-Policy without inline scripts will come: only script files and JSON data."""
    page = dashboard_of(client_for(client, leader), autumn.november).content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert scripts and all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert not re.search(r"\son[a-z]+=", page)
    assert '/static/vendor/echarts/echarts.min.js"' in page


def test_the_vendored_echarts_is_the_one_noted():
    folder = Path(settings.BASE_DIR) / "static" / "vendor" / "echarts"
    digest = hashlib.sha256((folder / "echarts.min.js").read_bytes()).hexdigest()
    note = (folder / "README.md").read_text(encoding="utf-8")
    assert digest in note and "6.1.0" in note
    assert "Apache License" in (folder / "LICENSE").read_text(encoding="utf-8")
