"""Opening a period asks every responsible unit for a report on every measure."""

from __future__ import annotations

import datetime as dt

import pytest

from tasks_app.models import Measure, MeasureUnit, PeriodKind, Report, Unit
from tasks_app.services.periods import period_bounds, period_label
from tests.conftest import open_month_result
from tests.support.files import annex1_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "label"),
    [
        (PeriodKind.MONTH, "2026-11-22", "2026-11-01", "2026-11-30", "2026年11月"),
        (PeriodKind.MONTH, "2028-02-10", "2028-02-01", "2028-02-29", "2028年2月"),
        (PeriodKind.QUARTER, "2026-11-22", "2026-10-01", "2026-12-31", "2026年第四季度"),
        (PeriodKind.QUARTER, "2027-02-01", "2027-01-01", "2027-03-31", "2027年第一季度"),
        (PeriodKind.HALF_YEAR, "2026-08-01", "2026-07-01", "2026-12-31", "2026年下半年"),
        (PeriodKind.YEAR, "2030-05-05", "2030-01-01", "2030-12-31", "2030年度"),
    ],
)
def test_periods_have_calendar_bounds_and_chinese_labels(kind, day, start, end, label):
    first, last = period_bounds(kind, dt.date.fromisoformat(day))
    assert (str(first), str(last)) == (start, end)
    assert period_label(kind, first) == label


def test_opening_november_requests_a_report_per_measure_and_responsible_unit(november):
    reports = Report.objects.filter(period=november)
    task1 = Measure.objects.get(task__number=1)
    assert set(reports.filter(measure=task1).values_list("unit__name", "role")) == {
        ("市能源局", "lead"),
        *((u.name, "support") for u in task1.support_units()),
    }
    assert november.label == "2026年11月 月调度" and str(november.due_date) == "2026-11-25"
    assert all(str(d) == "2026-11-25" for d in reports.values_list("due_date", flat=True).distinct())


def test_a_collective_asks_each_of_its_members(november):
    task8 = Measure.objects.get(task__number=8)  # supported by 各旗市区
    divisions = Unit.objects.get(name="各旗市区").members.all()
    asked = Report.objects.filter(period=november, measure=task8, via__name="各旗市区")
    assert asked.count() == 14
    assert set(asked.values_list("unit", flat=True)) == set(divisions.values_list("pk", flat=True))
    task46 = Measure.objects.get(task__number=46)  # led by 各旗市区人民(政府)
    assert Report.objects.filter(period=november, measure=task46, role="lead").count() == 14


def test_a_collective_with_no_designated_members_asks_nobody(november):
    task45 = Measure.objects.get(task__number=45)  # 各行业主管部门, members to be designated
    assert MeasureUnit.objects.filter(measure=task45).get().unit.name == "各行业主管部门"
    assert not Report.objects.filter(period=november, measure=task45).exists()


def test_a_unit_written_as_lead_and_in_a_collective_reports_once_as_lead(annex1, november):
    task26 = Measure.objects.get(task__number=26)  # 满洲里市 leads; 各旗市区 supports
    assert list(
        Report.objects.filter(period=november, measure=task26, unit__name="满洲里市").values_list("role", flat=True)
    ) == ["lead"]


def test_opening_twice_changes_nothing_and_keeps_filed_reports(annex1, november):
    count = Report.objects.filter(period=november).count()
    Report.objects.filter(period=november, measure__task__number=1, unit__name="市能源局").update(progress="已开展")
    again = open_month_result(annex1, 2026, 11)
    assert not again.created and again.requests_created == 0
    assert Report.objects.filter(period=november).count() == count
    assert Report.objects.get(period=november, measure__task__number=1, unit__name="市能源局").progress == "已开展"


def test_archived_tasks_get_no_requests(annex1):
    from tasks_app.services.plans import tasklist_import

    rows = [row for row in annex1_rows() if row[0] != 48]
    tasklist_import(plan=annex1, file_name="删去第48项.xlsx", data=xlsx_bytes(rows))
    period = open_month_result(annex1, 2026, 12)
    assert not Report.objects.filter(period=period.period, measure__task__number=48).exists()
    assert Report.objects.filter(period=period.period, measure__task__number=47).exists()


def test_the_command_opens_a_period(annex1):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("open_period", "--cadence", "quarterly", "--date", "2026-10-01", stdout=out)
    # 5 working days after 31 December; 2027 is not announced yet, so Monday-Friday: 1, 4, 5, 6, 7 January.
    assert "2026年第四季度 季通报已开启（截止 2027-01-07）" in out.getvalue()
