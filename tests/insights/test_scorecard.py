"""单位评分卡: a unit's measures, on-time rate and returned rate, for the unit, the office and leaders."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from tasks_app.lights import Light
from tasks_app.measure_status import MeasureState
from tasks_app.models import Report, Unit
from tasks_app.services.reports import report_review
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def scorecard_url(unit_name: str) -> str:
    return reverse("unit-scorecard", args=[Unit.objects.get(name=unit_name).pk])


@pytest.mark.parametrize(
    ("person", "status"),
    [("energy_reporter", 200), ("energy_head", 200), ("office", 200), ("leader", 200), ("industry_reporter", 404)],
)
def test_who_sees_the_scorecard_of_the_energy_bureau(client, request, autumn, person, status):
    user = request.getfixturevalue(person)
    client = client_for(client, user)
    assert client.get(scorecard_url("市能源局")).status_code == status
    assert client.get(scorecard_url("市能源局").replace("/scorecard/", "/scorecard/export.xlsx")).status_code == status


def test_the_scorecard_counts_states_on_time_and_returned(client, energy_reporter, office, autumn, on_28_november):
    report_review(
        report=Report.objects.get(period=autumn.november, measure__code="1", unit__name="市能源局"),
        user=office,
        accept=False,
        comment="请补充智能化改造的验收情况。",
    )
    card = client_for(client, energy_reporter).get(scorecard_url("市能源局")).context["card"]
    assert card.period == autumn.november
    lead = {item.role.measure.code: item.status for item in card.lead}
    assert len(lead) == 14
    assert (lead["6"].state, lead["6"].light) == (MeasureState.BEHIND, Light.RED)
    # Task 1 was returned: it no longer counts as filed for its state.
    assert lead["1"].state == MeasureState.UNREPORTED
    november = next(s for s in card.periods if s.period == autumn.november)
    assert (november.discipline.on_time, november.discipline.late) == (3, 1)
    assert november.discipline.missing == november.discipline.due - 4
    assert november.returned == 1 and november.returned_rate == 0.25
    october = next(s for s in card.periods if s.period == autumn.october)
    assert october.discipline.on_time == 2 and october.returned == 0


def test_a_unit_no_circular_named_says_so(client, office, autumn):
    # Circulars that did name a unit: tests/circulars/test_issue.py.
    response = client_for(client, office).get(scorecard_url("市能源局"))
    assert response.context["card"].circulars == []
    assert "未被通报点名" in response.content.decode()


def test_the_scorecard_export(client, energy_reporter, autumn, on_28_november):
    response = client_for(client, energy_reporter).get(reverse("unit-scorecard-export", args=[energy_reporter.unit_id]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["牵头的举措", "参与的举措", "按时报送与退回"]
    lead = {row[0]: row for row in book["牵头的举措"].iter_rows(min_row=3, values_only=True)}
    assert lead["6"][4:] == ("滞后", "红灯")
    periods = list(book["按时报送与退回"].iter_rows(min_row=3, values_only=True))
    assert periods[0][0] == "2026年11月 月调度" and periods[0][2:4] == (3, 1)
