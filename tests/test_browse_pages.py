"""The task browser: the plan as issued, grouped by part and sector; a task; a unit."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tasks_app.models import Task, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, leader):
    """The task browser as a leader sees it (every page needs a login)."""
    client.force_login(leader)
    return client


def test_an_anonymous_visitor_is_sent_to_the_login_page(annex1):
    from django.test import Client

    response = Client().get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_home_page_shows_all_48_tasks_in_parts_and_sectors(client, annex1, django_assert_num_queries):
    # session; user; the default plan; tasks with sector and part; measure counts;
    # lead units; phases; latest revision; other plans; unread inbox count
    with django_assert_num_queries(10):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('href="/tasks/') == 48
    page = text_of(response)
    for heading in (
        "一、推进五业协同，实现传统产业升级与新兴产业突破",
        "三、保障措施",
        "（一）煤炭产业：稳量提质与绿色智能并进",
        "（六）人才保障",
    ):
        assert heading in page
    assert "推动煤炭资源稳定接续发展。" in page
    assert "重点任务 48 项" in page
    assert '<html lang="zh-CN">' in html


def test_the_plan_page_query_count_does_not_grow_with_the_list(client, annex1, django_assert_num_queries):
    from tasks_app.services.plans import plan_get_or_create, tasklist_import
    from tests.support.files import annex1_rows, xlsx_bytes

    other = plan_get_or_create(name="另一份方案")
    rows = annex1_rows()
    rows = rows + [[row[0] + 100, *row[1:]] for row in rows[1:]]
    tasklist_import(plan=other, file_name="double.xlsx", data=xlsx_bytes(rows))
    assert Task.objects.filter(plan=other).count() == 96
    with django_assert_num_queries(10):  # the same queries as for 48 tasks
        response = client.get(reverse("plan-detail", args=[other.pk]))
    assert response.content.decode().count('href="/tasks/') == 96


def test_a_task_page_shows_its_measures_units_and_phase_targets(client, annex1, django_assert_num_queries):
    task = Task.objects.get(plan=annex1, number=21)
    # session; user; task; measures; unit links; targets with phases; plan phases; inbox
    with django_assert_num_queries(9):
        response = client.get(reverse("task-detail", args=[task.pk]))
    page = text_of(response)
    assert "21. 推动化工产业转型升级。" in page
    assert page.count("关键举措（") == 4
    assert "2.推动液化石油气落地加工。" in page
    assert "2026-2027年（筑基期）" in page and "2028-2030年（提升期）" in page
    assert "谋划臻浩触媒铝镍合金氢化催化剂项目。" in page
    assert "市工信局" in page and "投促中心" in page


def test_numbered_targets_are_shown_as_a_list(client, annex1):
    task = Task.objects.get(plan=annex1, number=1)
    html = client.get(reverse("task-detail", args=[task.pk])).content.decode()
    assert '<ol class="target-items"><li>1.推动西乌日图' in html


def test_user_text_is_escaped(client, annex1):
    task = Task.objects.get(plan=annex1, number=3)
    task.title = "<script>alert(1)</script>"
    task.save(update_fields=["title"])
    html = client.get(reverse("task-detail", args=[task.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_unit_page_lists_where_it_leads_and_where_it_supports(client, annex1):
    energy = Unit.objects.get(name="市能源局")
    page = text_of(client.get(reverse("unit-detail", args=[energy.pk])))
    assert "牵头的举措（14）" in page
    assert "推动煤炭资源稳定接续发展。" in page


def test_a_division_sees_measures_given_to_all_divisions(client, annex1):
    hailar = Unit.objects.get(name="海拉尔区")
    page = text_of(client.get(reverse("unit-detail", args=[hailar.pk])))
    assert "通过“ 各旗市区 ”承担" in page
    assert "落实属地责任。" in page  # task 46 is led by 各旗市区


def test_the_unit_directory_lists_units_by_kind_with_aliases(client, annex1, django_assert_num_queries):
    with django_assert_num_queries(5):  # session; user; units; aliases; inbox
        page = text_of(client.get(reverse("unit-list")))
    assert "旗市区（14）" in page
    assert "新巴尔虎左旗 （新左旗）" in page


def test_a_missing_task_is_a_404(client, annex1):
    assert client.get(reverse("task-detail", args=[999999])).status_code == 404


def test_static_assets_are_local(client, annex1):
    html = client.get(reverse("home")).content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
