"""The load test's count check can fail: a lost, a duplicated or an unexpected submit is caught.

``make loadtest`` passes when every submit the client saw accepted is in the database exactly once. A checker
that never fails would prove nothing, so here it is shown each way a submit can go wrong.
"""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from loadtest.check import count_check
from tasks_app.models import Evidence, ReportEvent
from tasks_app.services.reports import ReportInput, report_submit
from tasks_app.uploads import check_upload
from tests.support.reporting import lead_report

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submit(report, user, *, outcome: str = "ok") -> dict:
    """File ``report`` as the locustfile does, and return the record the locustfile keeps."""
    token = uuid.uuid4().hex
    upload = check_upload("调度会纪要.pdf", PDF + token.encode())
    data = ReportInput("on_track", f"本月按计划推进。（压测编号 {token}）", "", "继续推进。")
    report_submit(report=report, user=user, data=data, version=report.version, uploads=[upload])
    return {"report": report.pk, "token": token, "sha256": upload.sha256, "outcome": outcome}


@pytest.fixture
def three_submits(november, energy_reporter):
    since = timezone.now()
    submits = [submit(lead_report(november, code), energy_reporter) for code in ("1", "2", "4")]
    return since, submits


def test_it_passes_when_each_accepted_submit_is_there_once(three_submits):
    since, submits = three_submits

    check = count_check(submits, since=since)

    assert check.passed and check.found == check.accepted == 3


def test_it_finds_a_submit_whose_evidence_is_gone(three_submits):
    since, submits = three_submits
    Evidence.objects.filter(sha256=submits[0]["sha256"]).delete()

    check = count_check(submits, since=since)

    assert not check.passed and check.found == 2 and len(check.lost) == 1


def test_it_finds_a_submit_saved_twice(three_submits):
    since, submits = three_submits
    first = ReportEvent.objects.filter(report_id=submits[1]["report"], action="submit").get()
    ReportEvent.objects.create(report_id=first.report_id, action="submit", actor=first.actor)

    check = count_check(submits, since=since)

    assert not check.passed and len(check.duplicated) == 1


def test_it_finds_what_was_saved_although_the_client_saw_an_error(three_submits):
    since, submits = three_submits
    submits[2]["outcome"] = "http 0"  # the connection broke after the server had saved it

    check = count_check(submits, since=since)

    assert not check.passed and check.failed == 1
    assert len(check.unexpected) == 2  # its submit event and its evidence file
