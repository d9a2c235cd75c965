"""A leader opens the dashboard, clicks a red sector and lands on its red measures; screenshots of the
dashboard, the indicators and the public page.

No time travel here: the browser keeps real time and would drop a session cookie set in the future's
past. Expectations are computed for the real today from tasks_app.measure_status instead.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tasks_app.lights import Light
from tasks_app.measure_status import measure_statuses
from tasks_app.models import Indicator, Measure, PublicPageSettings, Report, Sector, Unit, User
from tasks_app.models.insights import quarter_end
from tests.browser.conftest import screenshot
from tests.browser.test_task_browser import login
from tests.support.autumn import file_autumn

pytestmark = pytest.mark.browser


@pytest.fixture
def autumn_for_demo(annex1_committed):
    from tasks_app.services.accounts import demo_accounts_ensure

    demo_accounts_ensure()
    return file_autumn(annex1_committed)


def red_codes_of(sector_name: str, period) -> set[str]:
    sector = Sector.objects.get(heading__contains=sector_name)
    statuses = measure_statuses(period, timezone.localdate())
    return {
        m.code
        for m in Measure.objects.filter(task__sector=sector)
        if m.pk in statuses and statuses[m.pk].light == Light.RED
    }


def test_a_leader_clicks_a_red_sector_and_lands_on_its_red_measures(page, live_server, autumn_for_demo):
    expected = red_codes_of("电力产业", autumn_for_demo.november)
    assert "6" in expected  # 滞后, whatever the date

    login(page, live_server, "lingdao")
    page.get_by_role("link", name="驾驶舱").click()
    page.wait_for_url("**/dashboard/")
    assert page.locator("h1").inner_text() == "领导驾驶舱"
    page.wait_for_selector('[data-chart="sectors"].chart-ready svg')
    screenshot(page, "dashboard-1-leader")

    red_cell = page.locator('#sector-table tr[data-group="电力产业"] td[data-light="red"] a')
    assert red_cell.inner_text() == str(len(expected))
    red_cell.click()
    page.wait_for_url(re.compile(r".*/ledger/\?.*light=red.*"))
    rows = page.locator("#ledger-table tbody tr")
    assert {rows.nth(i).get_attribute("data-measure") for i in range(rows.count())} == expected
    assert {rows.nth(i).get_attribute("data-light") for i in range(rows.count())} == {"red"}
    assert "领域：电力产业" in page.locator(".active-filters").inner_text()
    screenshot(page, "dashboard-2-red-sector")


def test_the_sector_chart_is_clickable_too(page, live_server, autumn_for_demo):
    """A click on the red segment of a sector's bar opens the same list as the table's number."""
    expected = red_codes_of("新能源产业", autumn_for_demo.november)
    login(page, live_server, "lingdao")
    page.goto(live_server.url + "/dashboard/")
    page.locator('[data-chart="sectors"]').scroll_into_view_if_needed()
    page.wait_for_selector('[data-chart="sectors"].chart-finished')
    x, y = page.evaluate(
        """(name) => {
            const el = document.querySelector('[data-chart="sectors"]');
            const chart = echarts.getInstanceByDom(el);
            const categories = chart.getOption().yAxis[0].data;
            const row = categories.indexOf(name);
            const red = chart.getOption().series[0].data[row].value;
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, [red / 2, row]);
            const box = el.getBoundingClientRect();
            return [box.left + x, box.top + y];
        }""",
        "新能源产业",
    )
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r".*/ledger/\?.*light=red.*"))
    rows = page.locator("#ledger-table tbody tr")
    assert {rows.nth(i).get_attribute("data-measure") for i in range(rows.count())} == expected


def test_screenshots_of_indicators_and_the_public_page(page, phone, live_server, autumn_for_demo):
    from tasks_app.services.indicator_figures import indicator_figure_file
    from tasks_app.services.public_page import public_page_settings_save, report_public_summary_set

    today = timezone.localdate()
    plan = autumn_for_demo.plan
    stats = User.objects.create(username="tongji", role="reporter", unit=Unit.objects.get(name="市统计局"))
    output = Indicator.objects.get(plan=plan, code="industrial-output")
    for quarter, value in ((1, "770"), (2, "805"), (3, "840")):
        if quarter_end(2026, quarter) <= today:
            indicator_figure_file(
                indicator=output, user=stats, year=2026, quarter=quarter, value=value, note="快报数", today=today
            )
    login(page, live_server, "lingdao")
    page.goto(live_server.url + "/indicators/")
    page.wait_for_selector(f'[data-chart="indicator-{output.pk}"].chart-ready svg')
    assert page.locator("article.indicator").count() == 5
    screenshot(page, "indicators")

    office = User.objects.get(username="duchashi")
    report = Report.objects.get(period=autumn_for_demo.november, measure__code="6", role="lead")
    report_public_summary_set(report=report, user=office, text="扎兰屯市50万千瓦独立储能电站完成备案。")
    public_page_settings_save(settings=PublicPageSettings(enabled=True, title="呼伦贝尔市工业经济重点任务推进情况"))
    context = page.context.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    anonymous = context.new_page()
    anonymous.goto(live_server.url + "/public/")
    assert anonymous.locator("h1").inner_text().startswith("《关于推进呼伦贝尔市")
    assert "扎兰屯市50万千瓦独立储能电站完成备案。" in anonymous.locator('tr[data-measure="6"]').inner_text()
    assert "储能项目用地预审未通过" not in anonymous.content()
    screenshot(anonymous, "public-progress")
    context.close()

    phone.goto(live_server.url + "/public/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"公开页在手机上横向溢出：{width}px"
    screenshot(phone, "public-progress-phone")
