"""A newcomer opens the system in a real browser and finds the plan as issued."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def login(page, live_server, username: str, password: str = "Demo@2026") -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.fixture
def demo_people(annex1_committed):
    from tasks_app.services.accounts import demo_accounts_ensure

    demo_accounts_ensure()


def test_the_plan_page_shows_48_tasks_and_a_task_opens(page, live_server, demo_people):
    login(page, live_server, "lingdao")
    page.goto(live_server.url + "/")
    assert page.title() == "任务清单 · 重点任务督查督办系统"
    assert page.locator("table.tasks tbody tr").count() == 48
    assert page.locator("section.part h2").all_inner_texts() == [
        "一、推进五业协同，实现传统产业升级与新兴产业突破",
        "二、强化四维赋能，为工业转型升级提供有力支撑",
        "三、保障措施",
    ]
    assert page.locator("section.sector h3").count() == 15
    screenshot(page, "plan-overview")

    page.get_by_role("link", name="推动化工产业转型升级。").click()
    page.wait_for_url("**/tasks/*/")
    assert page.locator("article.measure").count() == 4
    assert "推动液化石油气落地加工" in page.locator("article.measure").nth(1).inner_text()
    screenshot(page, "task-21")

    page.get_by_role("link", name="市工信局").first.click()
    page.wait_for_url("**/units/*/")
    assert page.locator("h1").inner_text() == "市工信局"
    screenshot(page, "unit-industry")


def test_the_plan_page_is_usable_on_a_phone(phone, live_server, demo_people):
    login(phone, live_server, "lingdao")
    phone.goto(live_server.url + "/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"页面在手机上横向溢出：{width}px"
    screenshot(phone, "plan-overview-phone")
