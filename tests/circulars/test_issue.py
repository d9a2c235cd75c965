"""Issuing: numbered per year, frozen with a content hash, corrected only by a new version; who reads what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.circulars.services import (
    circular_correct,
    circular_issue,
    circular_request_compile,
    circular_save_narrative,
    circular_settings_for,
    content_hash,
)
from notifications.models import Circular, Delivery, InboxMessage
from tests.circulars.conftest import compile_scope
from tests.conftest import client_for
from tests.support.reporting import file_report, lead_report

pytestmark = pytest.mark.django_db
D = dt.date


def article(response) -> str:
    """The document itself on the page (the page around it carries a fresh CSRF token each time)."""
    html = response.content.decode()
    return html[html.index('<article class="gw') : html.index("</article>")]


@pytest.fixture
def draft(q3):
    return compile_scope(q3.plan, 2026, 3, q3.compiled_on)


def test_numbers_run_per_year_without_gaps(q3, draft, office):
    from tasks_app.services.cadence import cadence_for
    from tasks_app.services.periods import period_open

    period_open(cadence=cadence_for(q3.plan, "quarterly"), day=D(2026, 4, 1))
    second = compile_scope(q3.plan, 2026, 2, q3.compiled_on)
    fourth = compile_scope(q3.plan, 2026, 4, D(2027, 1, 12))
    assert circular_issue(circular=draft, user=office, issued_on=D(2026, 10, 16)).number == "呼督通〔2026〕1号"
    assert circular_issue(circular=second, user=office, issued_on=D(2026, 10, 20)).number == "呼督通〔2026〕2号"
    assert circular_issue(circular=fourth, user=office, issued_on=D(2027, 1, 13)).number == "呼督通〔2027〕1号"


def test_an_issued_circular_is_frozen(q3, draft, office, client):
    issued = circular_issue(circular=draft, user=office, issued_on=D(2026, 10, 16))
    assert issued.content_sha256 == content_hash(issued, circular_settings_for(q3.plan))
    page = article(client_for(client, office).get(reverse("circular-detail", args=[issued.pk])))

    file_report(lead_report(q3.quarter, "2"), status="done", progress="后来补报的进展。", on=D(2026, 10, 20))
    with pytest.raises(ValidationError, match="已签发"):
        circular_save_narrative(circular=issued, user=office, title="改", opening="", highlights="", requirements="")
    with pytest.raises(ValidationError, match="不能重新汇总"):
        circular_request_compile(circular=issued, user=office)
    with pytest.raises(ValidationError, match="已于"):
        circular_issue(circular=issued, user=office, issued_on=D(2026, 10, 17))
    edit = client.post(reverse("circular-edit", args=[issued.pk]), {"title": "改了", "opening": "x"})
    assert edit.status_code == 302 and edit["Location"] == reverse("circular-detail", args=[issued.pk])

    again = Circular.objects.get(pk=issued.pk)
    assert again.content_sha256 == content_hash(again, circular_settings_for(q3.plan)) == issued.content_sha256
    assert article(client.get(reverse("circular-detail", args=[issued.pk]))) == page
    assert "后来补报的进展" not in page


def test_a_correction_is_a_new_version_with_its_own_number(q3, draft, office, client):
    original = circular_issue(circular=draft, user=office, issued_on=D(2026, 10, 16))
    correction = circular_correct(circular=original, user=office)
    assert (correction.version, correction.corrects, correction.status) == (2, original, "draft")
    assert circular_correct(circular=original, user=office) == correction  # one draft at a time
    circular_save_narrative(
        circular=correction, user=office, title=original.title, opening="更正：", highlights="亮点", requirements="要求"
    )
    reissued = circular_issue(circular=correction, user=office, issued_on=D(2026, 10, 18))
    assert reissued.number == "呼督通〔2026〕2号"
    original.refresh_from_db()
    assert original.status == "issued" and original.content_sha256 == content_hash(
        original, circular_settings_for(q3.plan)
    )
    client_for(client, office)
    assert "已被" in client.get(reverse("circular-detail", args=[original.pk])).content.decode()
    assert "更正并替代" in client.get(reverse("circular-detail", args=[reissued.pk])).content.decode()


def test_issuing_writes_each_notice_once(q3, draft, office, energy_reporter, leader):
    issued = circular_issue(circular=draft, user=office, issued_on=D(2026, 10, 16))
    keys = list(Delivery.objects.filter(key__startswith=f"circular:{issued.pk}:").values_list("key", flat=True))
    assert len(keys) == len(set(keys)) > 0
    assert InboxMessage.objects.filter(recipient=energy_reporter, subject__startswith="【通报】").count() == 1
    assert InboxMessage.objects.filter(recipient=leader, subject__startswith="【通报】").count() == 1
    from notifications.circulars.recipients import circular_notify

    circular_notify(circular=issued)  # a retry after a crash: nothing new
    assert Delivery.objects.filter(key__startswith=f"circular:{issued.pk}:").count() == len(keys)


def test_the_scorecard_and_the_archive_show_who_was_named(q3, draft, office, industry_reporter, client):
    issued = circular_issue(circular=draft, user=office, issued_on=D(2026, 10, 16))
    industry = industry_reporter.unit
    assert issued.named_units.filter(pk=industry.pk).exists()  # it filed nothing in the quarter
    client_for(client, industry_reporter)
    card = client.get(reverse("unit-scorecard", args=[industry.pk]))
    assert card.context["card"].circulars == [issued] and "呼督通〔2026〕1号" in card.content.decode()
    found = client.get(reverse("circular-list"), {"year": 2026, "period": "3", "unit": industry.pk})
    assert list(found.context["circulars"]) == [issued]
    assert list(client.get(reverse("circular-list"), {"period": "4"}).context["circulars"]) == []
    assert list(client.get(reverse("circular-list"), {"period": "annual"}).context["circulars"]) == []


@pytest.mark.parametrize(
    "who, draft_page, issued_page, issued_pdf",
    [
        ("energy_reporter", 404, 200, 200),
        ("leader", 404, 200, 200),
        ("office", 200, 200, 200),
    ],
)
def test_drafts_are_the_office_s_issued_circulars_everyone_s(
    request, q3, office, client, who, draft_page, issued_page, issued_pdf
):
    user = request.getfixturevalue(who)
    q2 = compile_scope(q3.plan, 2026, 3, q3.compiled_on)
    client_for(client, user)
    assert client.get(reverse("circular-edit", args=[q2.pk])).status_code == draft_page
    assert client.get(reverse("circular-status", args=[q2.pk])).status_code == draft_page
    assert client.get(reverse("circular-download", args=[q2.pk, "docx"])).status_code in (
        draft_page,
        200 if draft_page == 200 else 404,
    )
    if who != "office":
        assert client.post(reverse("circular-issue", args=[q2.pk]), {"issued_on": "2026-10-16"}).status_code == 404
        assert client.post(reverse("circular-compile", args=[q2.pk])).status_code == 404
        assert client.post(reverse("circular-create"), {"year": 2026, "period": "2"}).status_code == 404
        assert Circular.objects.get(pk=q2.pk).status == "draft" and Circular.objects.count() == 1
    issued = circular_issue(circular=q2, user=office, issued_on=D(2026, 10, 16))
    assert client.get(reverse("circular-detail", args=[issued.pk])).status_code == issued_page
    pdf = client.get(reverse("circular-download", args=[issued.pk, "pdf"]))
    assert pdf.status_code == issued_pdf and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("circular-download", args=[issued.pk, "xlsx"])).status_code == 404  # quarterly: no scores
    assert client.get(reverse("circular-detail", args=[issued.pk + 1000])).status_code == 404


def test_the_office_sets_who_is_named(q3, office, energy_reporter, client):
    from tests.support.reporting import file_report, lead_report

    late = lead_report(q3.months[0], "2")  # 市能源局 files one July report two working days late
    file_report(late, status="on_track", progress="七月进展。", on=D(2026, 7, 28))
    client_for(client, energy_reporter)
    assert client.get(reverse("circular-rules")).status_code == 404
    client_for(client, office)
    page = client.get(reverse("circular-rules")).content.decode()
    assert "未报送达到几项即点名" in page
    form = {
        "issuer": "呼伦贝尔市人民政府督查室",
        "number_prefix": "呼督通",
        "addressees": "各旗市区人民政府，市直各有关部门：",
        "name_if_missing_at_least": 0,  # missing reports alone name nobody
        "name_if_late_at_least": 1,
        "late_grace_workdays": 1,  # one working day late is forgiven
        "score_weight_on_time": 60,
        "score_weight_not_returned": 20,
        "score_weight_targets": 20,
    }
    assert client.post(reverse("circular-rules"), form).status_code == 302
    named = compile_scope(q3.plan, 2026, 3, q3.compiled_on).snapshot["discipline"]["named"]
    assert [u["name"] for u in named] == ["市能源局"]  # late beyond the grace; the silent units are not named
    assert named[0]["reasons"][0].startswith("逾期报送 1 项")
    form["late_grace_workdays"] = 5
    client.post(reverse("circular-rules"), form)
    circular = Circular.objects.get(quarter=3)
    circular_request_compile(circular=circular, user=office, enqueue=False)
    from notifications.circulars.services import circular_compile

    circular_compile(circular_id=circular.pk, today=q3.compiled_on)
    circular.refresh_from_db()
    assert circular.snapshot["discipline"]["named"] == []
    assert circular.snapshot["rule"]["text"] == "逾期报送（逾期超过 5 个工作日） 1 项及以上的单位予以点名通报"
