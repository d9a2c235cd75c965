"""The supervision office drafts, edits and issues a quarterly circular in the browser; a unit reads it."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications.models import Circular
from tests.browser.conftest import screenshot
from tests.browser.test_filing_journey import logout
from tests.browser.test_task_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker]


@pytest.fixture
def quarter_for_demo(annex1_committed):
    from tasks_app.services.accounts import demo_accounts_ensure
    from tasks_app.services.cadence import cadence_for
    from tasks_app.services.periods import period_open
    from tests.support.reporting import file_report, lead_report

    demo_accounts_ensure()
    quarter = period_open(cadence=cadence_for(annex1_committed, "quarterly"), day=dt.date(2026, 7, 1)).period
    file_report(lead_report(quarter, "6"), status="behind", progress="备案完成。", problems="储能项目用地预审未通过。")
    return quarter


def test_the_office_drafts_edits_and_issues_a_circular_that_a_unit_then_reads(
    page, live_server, celery_worker, quarter_for_demo
):
    login(page, live_server, "duchashi")
    page.goto(live_server.url + "/circulars/")
    page.fill("#id_year", "2026")
    page.select_option("#id_period", "3")
    page.get_by_role("button", name="立即汇总起草").click()
    page.wait_for_url("**/circulars/*/edit/")
    screenshot(page, "circular-1-compiling")
    page.wait_for_selector("article.gw", timeout=60_000)  # the progress bar reloads the page when done
    assert "储能项目用地预审未通过。" in page.inner_text("article.gw")

    page.fill("#id_highlights", "煤炭产业方面。各牵头单位按计划推进。")
    page.get_by_role("button", name="保存修改").click()
    assert "已保存" in page.inner_text(".messages")
    assert "各牵头单位按计划推进。" in page.inner_text("article.gw")
    screenshot(page, "circular-2-draft")
    page.fill("#id_issued_on", "2026-10-16")
    page.get_by_role("button", name="签发").click()
    page.wait_for_url("**/circulars/*/")
    assert "呼督通〔2026〕1号" in page.inner_text("article.gw")
    screenshot(page, "circular-3-issued")
    logout(page)

    login(page, live_server, "gongxin")
    page.goto(live_server.url + "/circulars/")
    page.get_by_role("link", name="关于2026年第三季度重点任务推进情况的通报").click()
    text = page.inner_text("article.gw")
    assert "呼督通〔2026〕1号" in text and "2026年10月16日" in text and "各牵头单位按计划推进。" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    screenshot(page, "circular-4-read-by-a-unit")
    assert Circular.objects.get().status == "issued"
