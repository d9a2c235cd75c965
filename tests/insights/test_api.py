"""The REST API: token auth, read-only, paginated, scoped exactly like the web; a schema that validates."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from tasks_app.access import measures_for, reports_for
from tasks_app.measure_status import measure_statuses
from tasks_app.models import Report
from tests.insights.conftest import TODAY

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    token = Token.objects.get_or_create(user=user)[0]
    return Client(headers={"Authorization": f"Token {token.key}"})


def every(client: Client, url: str, **params) -> list[dict]:
    """All results of a paginated list, page by page."""
    results, page = [], 1
    while True:
        body = client.get(url, {**params, "page": page, "page_size": 200}).json()
        results += body["results"]
        if not body["next"]:
            return results
        page += 1


def test_without_a_token_the_api_says_401_not_a_login_page(annex1):
    response = Client().get("/api/v1/measures/")
    assert response.status_code == 401
    assert response.json()["detail"]
    assert Client(headers={"Authorization": "Token wrong"}).get("/api/v1/plans/").status_code == 401


def test_a_unit_token_reads_its_units_reports_only(autumn, energy_reporter, resources_reporter):
    for person in (energy_reporter, resources_reporter):
        ids = {r["id"] for r in every(api(person), "/api/v1/reports/")}
        assert ids == set(reports_for(person).values_list("pk", flat=True))
    resources_ids = {r["id"] for r in every(api(resources_reporter), "/api/v1/reports/")}
    units = set(Report.objects.filter(pk__in=resources_ids).values_list("unit__name", flat=True))
    assert units == {"市自然资源局"} | set(  # and the other units' reports on the measures it leads
        Report.objects.filter(measure__unit_links__unit__name="市自然资源局", measure__unit_links__role="lead")
        .values_list("unit__name", flat=True)
        .distinct()
    )
    energy_only = Report.objects.filter(unit__name="市能源局", measure__code="6").first()
    assert api(resources_reporter).get(f"/api/v1/reports/{energy_only.pk}/").status_code == 404
    body = api(energy_reporter).get(f"/api/v1/reports/{energy_only.pk}/").json()
    assert body["unit"]["name"] == "市能源局" and "evidence" not in body and "updated_by" not in body


def test_measures_are_scoped_like_the_web(autumn, energy_reporter, leader):
    assert len(every(api(leader), "/api/v1/measures/")) == 52
    mine = every(api(energy_reporter), "/api/v1/measures/")
    assert {m["id"] for m in mine} == set(measures_for(energy_reporter).values_list("pk", flat=True))
    task10 = next(m for m in mine if m["code"] == "10")
    assert [u["name"] for u in task10["lead_units"]] == ["市能源局", "市工信局"]
    assert [t["phase"] for t in task10["targets"]] == ["2026-2027年（筑基期）", "2028-2030年（提升期）"]


def test_states_and_lights_match_the_dashboard(autumn, leader, energy_reporter, on_28_november):
    states = every(api(leader), "/api/v1/measure-states/", period=autumn.november.pk)
    expected = measure_statuses(autumn.november, TODAY)
    assert {(s["measure"], s["state"], s["light"]) for s in states} == {
        (pk, status.state.value, status.light.value) for pk, status in expected.items()
    }
    six = next(s for s in states if s["measure"] == next(pk for pk, st in expected.items() if st.state == "behind"))
    assert six["state_label"] == "滞后" and six["light_label"] == "红灯"
    # Without ?period= it is the current period; a unit sees its own measures' states.
    mine = every(api(energy_reporter), "/api/v1/measure-states/")
    assert {s["measure"] for s in mine} == set(measures_for(energy_reporter).values_list("pk", flat=True)) & set(
        expected
    )
    assert {s["period"] for s in mine} == {autumn.november.pk}


def test_lists_are_paginated(autumn, office):
    body = api(office).get("/api/v1/reports/").json()
    assert body["count"] == Report.objects.count() and len(body["results"]) == 50 and body["next"]
    assert len(api(office).get("/api/v1/reports/", {"page_size": 500}).json()["results"]) == 200
    assert api(office).get("/api/v1/reports/", {"page": 9999}).status_code == 404


def test_the_api_is_read_only(autumn, office):
    client = api(office)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/api/v1/measures/").status_code == 405


@pytest.mark.parametrize("value", ["abc", "-1", "0", "1.5", "99999999999999999999999", "١٢"])
def test_a_wrong_filter_is_a_400_not_a_500(autumn, office, value):
    response = api(office).get("/api/v1/reports/", {"period": value})
    assert response.status_code == 400 and "period" in response.json()


def test_indicators_with_targets_and_figures(autumn, leader):
    indicators = every(api(leader), "/api/v1/indicators/")
    output = next(i for i in indicators if i["code"] == "industrial-output")
    assert output["responsible_unit"]["name"] == "市统计局"
    assert [(t["year"], t["target_value"]) for t in output["targets"]] == [(2027, "975.00"), (2030, "1500.00")]


def test_the_schema_validates_and_is_served(annex1, tmp_path):
    target = tmp_path / "schema.yaml"
    # --fail-on-warn: a view drf-spectacular cannot describe is an error, not a guess.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/measure-states/" in target.read_text(encoding="utf-8")
    response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.") and "/api/v1/reports/{id}/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_a_token_is_made_with_the_documented_command(energy_reporter):
    out = io.StringIO()
    call_command("drf_create_token", energy_reporter.username, stdout=out)
    key = Token.objects.get(user=energy_reporter).key
    assert key in out.getvalue()
    assert Client(headers={"Authorization": f"Token {key}"}).get("/api/v1/plans/").status_code == 200
