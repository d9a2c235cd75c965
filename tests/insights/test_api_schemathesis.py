"""Schema-driven: schemathesis takes the OpenAPI schema the server publishes and sends what it allows
(and what it does not) to every operation of the live server, with an office token and with a unit's.

Every default check runs: no 500, status codes, content types and bodies as documented, wrong input
rejected. The examples per operation are few and deterministic: the server shares two cores, and a
failure must replay. (schemathesis' ``from_fixture`` loader does not run under pytest 9, so the schema
is built in-process at import time, and the test proves it is the one the live server serves.)
"""

from __future__ import annotations

import json

import pytest
import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from tests.support.reporting import file_report, lead_report, open_month


def published_schema() -> dict:
    """What GET /api/schema/?format=json returns."""
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


SCHEMA = published_schema()
schema = schemathesis.openapi.from_dict(SCHEMA)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture
def api_world(live_server, annex1_committed):
    """November opened with a few reports filed, and tokens for the office and 市能源局."""
    from rest_framework.authtoken.models import Token

    from tasks_app.models import Unit
    from tasks_app.services.accounts import user_create

    november = open_month(annex1_committed, 11)
    file_report(lead_report(november, "6"), status="behind", problems="用地预审未通过")
    file_report(lead_report(november, "1"), status="on_track")
    office = user_create(username="api-office", role="office")
    energy = user_create(username="api-energy", role="reporter", unit=Unit.objects.get(name="市能源局"))
    return {
        "url": live_server.url,
        "office": Token.objects.create(user=office).key,
        "energy": Token.objects.create(user=energy).key,
    }


def test_the_schema_tested_is_the_one_the_live_server_publishes(api_world):
    served = requests.get(f"{api_world['url']}/api/schema/", params={"format": "json"}, timeout=30)
    assert served.status_code == 200 and served.json() == SCHEMA


@schema.parametrize()
@SETTINGS
def test_the_api_with_an_office_token(case, api_world):
    case.call_and_validate(base_url=api_world["url"], headers={"Authorization": f"Token {api_world['office']}"})


@schema.parametrize()
@SETTINGS
def test_the_api_with_a_unit_token(case, api_world):
    case.call_and_validate(base_url=api_world["url"], headers={"Authorization": f"Token {api_world['energy']}"})
