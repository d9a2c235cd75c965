"""A reporter files and submits; the office returns it; the reporter resubmits; another unit cannot open it."""

from __future__ import annotations

import pytest

from tasks_app.models import Report, ReportState
from tests.browser.conftest import screenshot
from tests.browser.test_task_browser import login
from tests.conftest import open_month

pytestmark = pytest.mark.browser


@pytest.fixture
def november_for_demo(annex1_committed):
    from tasks_app.services.accounts import demo_accounts_ensure

    demo_accounts_ensure()
    return open_month(annex1_committed, 2026, 11)


def logout(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/**")


def test_file_return_resubmit(browser, live_server, november_for_demo):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    report = Report.objects.get(period=november_for_demo, measure__task__number=6, unit__name="市能源局")

    # 1. The reporter of 市能源局 opens 我的任务 and files task 6.
    login(page, live_server, "nengyuan")
    page.wait_for_url("**/my/")
    assert "我的任务" in page.locator("h1").inner_text()
    screenshot(page, "filing-1-my-tasks")
    page.locator(f'a[href="/reports/{report.pk}/"]').first.click()
    page.select_option("#id_progress_status", "on_track")
    page.fill("#id_progress", "扎兰屯市50万千瓦独立储能电站完成备案。")
    page.fill("#id_next_steps", "推进项目开工。")
    screenshot(page, "filing-2-form")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state()
    assert "已提交督查室" in page.inner_text(".messages")
    assert page.locator("#report-form").count() == 0
    screenshot(page, "filing-3-submitted")
    logout(page)

    # 2. The supervision office returns it with a comment.
    login(page, live_server, "duchashi")
    page.wait_for_url("**/review/")
    page.locator(f'a[href="/reports/{report.pk}/"]').click()
    page.fill("#id_comment", "请补充阿荣旗储能项目进度。")
    screenshot(page, "filing-4-review")
    page.get_by_role("button", name="退回").click()
    page.wait_for_url("**/review/")
    assert "已退回" in page.inner_text(".messages")
    logout(page)

    # 3. The reporter sees the message, edits and resubmits.
    login(page, live_server, "nengyuan")
    assert page.locator(".badge").inner_text() == "1"
    page.get_by_role("link", name="消息").click()
    page.get_by_role("link", name="被退回").click()
    assert "请补充阿荣旗储能项目进度。" in page.inner_text(".events")
    page.fill("#id_progress", "扎兰屯市储能电站完成备案；阿荣旗2个20万千瓦储能项目完成选址。")
    screenshot(page, "filing-5-resubmit")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert "阿荣旗2个20万千瓦" in report.progress
    logout(page)

    # 4. Another unit's reporter cannot open it.
    login(page, live_server, "gongxin")
    response = page.goto(live_server.url + f"/reports/{report.pk}/")
    assert response.status == 404
    screenshot(page, "filing-6-other-unit-404")
    context.close()


def test_filing_works_on_a_phone(phone, live_server, november_for_demo):
    login(phone, live_server, "nengyuan")
    phone.wait_for_url("**/my/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 400
    screenshot(phone, "filing-phone-my-tasks")
    report = Report.objects.get(period=november_for_demo, measure__task__number=5, unit__name="市能源局")
    phone.goto(live_server.url + f"/reports/{report.pk}/")
    phone.select_option("#id_progress_status", "on_track")
    phone.fill("#id_progress", "增量配电网规划编制完成初稿。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 400
    screenshot(phone, "filing-phone-form")
    phone.get_by_role("button", name="保存草稿").click()
    phone.wait_for_load_state()
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.progress == "增量配电网规划编制完成初稿。"
