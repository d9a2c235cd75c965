"""举措台账 and 报送纪律: filters, scoping like the web, and XLSX files read back."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from tasks_app.models import Report, Unit
from tests.conftest import client_for
from tests.support.reporting import file_report, lead_report

pytestmark = pytest.mark.django_db


def ledger(client, period, **filters):
    return client.get(reverse("measure-ledger"), {"period": period.pk, **filters})


def test_the_office_sees_every_measure_with_its_latest_progress(client, office, autumn, on_28_november):
    response = ledger(client_for(client, office), autumn.november)
    assert response.status_code == 200
    rows = {r.measure.code: r for r in response.context["rows"]}
    assert len(rows) == 52
    assert rows["6"].latest.progress == "十一月：扎兰屯储能电站备案。"
    # Nothing filed in November on task 2, nor in October: no progress to show.
    assert rows["2"].latest is None
    assert rows["10"].lead_units == ["市能源局", "市工信局"]
    assert "设置公开摘要" in response.content.decode()


def test_filters_narrow_the_rows(client, office, autumn, on_28_november):
    client = client_for(client, office)
    energy = Unit.objects.get(name="市能源局")
    rows = ledger(client, autumn.november, lead_unit=energy.pk, state="behind").context["rows"]
    assert sorted(r.measure.code for r in rows) == ["10", "6"]
    rows = ledger(client, autumn.november, light="yellow").context["rows"]
    assert [r.measure.code for r in rows] == ["15"]
    # A value outside the choices is ignored, not an error.
    assert ledger(client, autumn.november, state="nonsense", light="<b>").status_code == 200


def test_a_unit_reporter_sees_its_own_measures_and_only_the_reports_it_may_read(
    client, resources_reporter, autumn, on_28_november
):
    """市自然资源局 supports task 1 (led by 市能源局) and leads task 3."""
    rows = {r.measure.code: r for r in ledger(client_for(client, resources_reporter), autumn.november).context["rows"]}
    assert {"1", "3"} <= set(rows) and "6" not in rows
    assert rows["3"].latest.progress == "十一月：已完成年度目标。"
    # Task 1's lead report is 市能源局's: 市自然资源局 may see the measure's light, not the lead unit's text.
    assert rows["1"].latest is None
    export = client.get(reverse("measure-ledger-export"), {"period": autumn.november.pk})
    text = " ".join(
        str(v) for row in openpyxl.load_workbook(io.BytesIO(export.content)).active.values for v in row if v
    )
    assert "十一月：煤矿智能化改造完成3处。" not in text and "十一月：已完成年度目标。" in text


def test_the_ledger_export_is_a_real_workbook_and_formulas_stay_text(client, office, autumn, on_28_november):
    report = lead_report(autumn.november, "2")
    file_report(report, status="on_track", progress='=HYPERLINK("http://evil.example","点我")', problems="@SUM(1)")
    response = client_for(client, office).get(reverse("measure-ledger-export"), {"period": autumn.november.pk})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["举措台账"]
    assert "2026年11月" in sheet["A1"].value
    headers = [c.value for c in sheet[2]]
    assert headers[:5] == ["编号", "板块", "领域", "重点任务", "关键举措"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    assert len(rows) == 52
    progress, problems = rows["2"][headers.index("最新进展")], rows["2"][headers.index("存在问题")]
    assert progress.value.startswith("=HYPERLINK") and progress.data_type == "s"
    assert problems.value == "@SUM(1)" and problems.data_type == "s"
    assert rows["6"][headers.index("红黄绿灯")].value == "红灯"
    assert rows["6"][headers.index("推进状态")].value == "滞后"


def test_discipline_lists_every_unit_worst_first(client, office, autumn, on_28_november):
    client = client_for(client, office)
    response = client.get(reverse("discipline"), {"period": autumn.november.pk})
    assert response.status_code == 200
    units = [unit for unit, _ in response.context["rows"]]
    assert units[0].counts.missing >= units[-1].counts.missing
    energy = next(u for u in units if u.unit_name == "市能源局")
    assert (energy.counts.on_time, energy.counts.late) == (3, 1)  # 1, 10, 12 on time; 6 late
    # Its 逾期报送 number links to the measure behind it.
    cells = next(cells for unit, cells in response.context["rows"] if unit.unit_name == "市能源局")
    late_rows = client.get(cells[1][1]).context["rows"]
    assert [r.measure.code for r in late_rows] == ["6"]

    export = client.get(reverse("discipline-export"), {"period": autumn.november.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content))["报送纪律"]
    values = list(sheet.iter_rows(min_row=3, values_only=True))
    energy_row = next(row for row in values if row[0] == "市能源局")
    assert energy_row[2:4] == (3, 1)
    assert values[-1][0] == "合计" and values[-1][1] == Report.objects.filter(period=autumn.november).count()


def test_discipline_is_for_leaders_and_the_office(client, energy_reporter, hailar_reporter, autumn):
    assert client_for(client, energy_reporter).get(reverse("discipline")).status_code == 302
    assert client_for(client, energy_reporter).get(reverse("discipline-export")).status_code == 302


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"sector": "99999999999999999999999"}, 200),
        ({"lead_unit": "9223372036854775808", "reporter": "1", "discipline": "late"}, 200),
        ({"period": "99999999999999999999999"}, 404),
        ({"plan": "99999999999999999999999"}, 404),
        ({"page": "9999"}, 200),
    ],
)
def test_odd_query_strings_are_answered_not_crashed(client, office, autumn, params, status):
    response = client_for(client, office).get(reverse("measure-ledger"), params)
    assert response.status_code == status
    if status == 200 and "page" not in params:
        assert response.context["page"].paginator.count == 0
