"""公开进度: off until switched on, no login, cached, and nothing internal ever shows."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tasks_app.models import PublicPageSettings, Report, ReportEvent
from tasks_app.services.public_page import (
    PublicSummaryError,
    public_page_settings_save,
    report_public_summary_set,
)
from tasks_app.services.reports import ReportInput, report_review, report_save, report_submit
from tasks_app.uploads import check_upload
from tests.conftest import client_for
from tests.support.reporting import filer, lead_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PUBLIC = "公开：扎兰屯储能电站完成备案，项目进入建设准备阶段。"


def switch_on(**fields) -> PublicPageSettings:
    return public_page_settings_save(settings=PublicPageSettings(enabled=True, **fields))


def public(client=None):
    return (client or Client()).get(reverse("public-progress"))


def test_the_public_page_is_off_until_the_admin_turns_it_on(annex1):
    assert PublicPageSettings.current().enabled is False
    assert public().status_code == 404
    switch_on(title="呼伦贝尔市工业经济重点任务推进情况")
    response = public()
    assert response.status_code == 200  # not a redirect to the login page
    page = response.content.decode()
    assert "呼伦贝尔市工业经济重点任务推进情况" in page
    assert page.count('<tr data-measure="') == 52
    public_page_settings_save(settings=PublicPageSettings(enabled=False))
    assert public().status_code == 404


@pytest.fixture
def internal_everything(autumn, office, energy_head):
    """Task 6 of 市能源局 with every internal thing a report can carry, and a public summary."""
    report = lead_report(autumn.november, "6")
    report_review(report=report, user=office, accept=False, comment="内部退回意见：请补充用地预审材料")
    report.refresh_from_db()
    reporter = filer(report.unit)
    data = ReportInput("behind", "内部进展：与林草局协调用地", "内部问题：用地预审卡在林地指标", "内部计划：12月上会")
    report = report_save(
        report=report,
        user=reporter,
        data=data,
        version=report.version,
        uploads=[check_upload("内部佐证-用地批复扫描件.pdf", PDF)],
    )
    report = report_submit(report=report, user=reporter, data=data, version=report.version)
    report_review(report=report, user=office, accept=True, comment="内部审核意见：同意")
    report_public_summary_set(report=Report.objects.get(pk=report.pk), user=office, text=PUBLIC)
    return report


def test_nothing_internal_ever_renders(client, internal_everything, office, leader, energy_head):
    switch_on()
    # A leader looks first: the page is cached for everyone and must not carry their name either.
    client_for(client, leader).get(reverse("public-progress"))
    page = public().content.decode()
    assert PUBLIC in page
    assert '<tr data-measure="6">' in page
    internal = [
        "内部进展",
        "内部问题",
        "内部计划",
        "内部退回意见",
        "内部审核意见",
        "内部佐证",
        ".pdf",
        "/evidence/",
        "/reports/",
    ]
    # Every problem, progress, plan and review comment of every report, and every person's name.
    for report in Report.objects.exclude(progress=""):
        internal += [report.progress, report.next_steps] + ([report.problems] if report.problems else [])
    internal += [c for c in ReportEvent.objects.exclude(comment="").values_list("comment", flat=True)]
    people = [office, leader, energy_head, filer(internal_everything.unit)]
    internal += [p.display_name for p in people]  # 王督查, 李市长, 赵局长, 市能源局填报员
    leaked = sorted({text for text in internal if text and text in page})
    assert leaked == []


def test_the_page_is_served_from_the_cache(
    internal_everything, office, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    switch_on()
    first = public().content.decode()
    # From the cache: the switch and the plan, nothing about measures or reports.
    with django_assert_max_num_queries(2):
        assert public().content.decode() == first
    # A change made behind the services' back waits for the cache to expire …
    Report.objects.filter(pk=internal_everything.pk).update(public_summary="直接改库的摘要")
    assert "直接改库的摘要" not in public().content.decode()
    # … the office's change through the service shows as soon as it is committed.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report_public_summary_set(
            report=Report.objects.get(pk=internal_everything.pk), user=office, text="储能电站已开工建设。"
        )
    assert len(callbacks) == 1
    page = public().content.decode()
    assert "储能电站已开工建设。" in page and PUBLIC not in page
    assert cache.get(f"public-progress:{internal_everything.period.plan_id}") == page


def test_only_the_office_marks_what_is_public(client, autumn, office, energy_reporter):
    report = lead_report(autumn.november, "6")
    url = reverse("report-public-summary", args=[report.pk])
    assert client_for(Client(), energy_reporter).get(url).status_code == 403
    with pytest.raises(PublicSummaryError):
        report_public_summary_set(report=report, user=energy_reporter, text="自己写的")
    office_client = client_for(client, office)
    assert office_client.get(url).status_code == 200
    assert office_client.post(url, {"public_summary": "  储能电站完成备案。 "}).status_code == 302
    report.refresh_from_db()
    assert report.public_summary == "储能电站完成备案。"
    assert report.version == lead_report(autumn.november, "6").version  # the unit's editing is not disturbed
    # A supporting unit's report, or one not filed, has nothing public.
    supporting = Report.objects.get(period=autumn.november, measure__code="1", unit__name="市自然资源局")
    unfiled = lead_report(autumn.november, "2")
    for other in (supporting, unfiled):
        assert office_client.get(reverse("report-public-summary", args=[other.pk])).status_code == 403


def test_the_report_page_offers_the_office_the_public_summary(client, autumn, office, energy_reporter):
    report = lead_report(autumn.november, "6")
    url = reverse("report-detail", args=[report.pk])
    link = reverse("report-public-summary", args=[report.pk])
    assert link in client_for(client, office).get(url).content.decode()
    assert link not in client_for(Client(), energy_reporter).get(url).content.decode()
