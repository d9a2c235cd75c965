"""Revisions keep history: a measure keeps its identity and reports, a dropped task is archived, any
revision can be read as it stood, several plans live side by side, unknown units are named or created."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from tasks_app.models import Measure, Period, PeriodKind, PlanRevision, Report, Task, Unit
from tasks_app.services.plans import plan_get_or_create, tasklist_import, tasklist_preview
from tasks_app.tasklist.apply import current_tasklist
from tasks_app.tasklist.problems import TaskListError
from tests.support.annex1_documents import AnnexRow, annex_rows, build_docx, build_xlsx, task_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, leader):
    """The revision pages as a leader sees them (every page needs a login)."""
    client.force_login(leader)
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def november_report(plan, measure: Measure, unit_name: str = "市自然资源局") -> Report:
    """The supporting unit's November 2026 report on ``measure``, filed."""
    period = Period.objects.create(
        plan=plan,
        kind=PeriodKind.MONTH,
        start_date=dt.date(2026, 11, 1),
        end_date=dt.date(2026, 11, 30),
        due_date=dt.date(2026, 12, 3),
        label="2026年11月",
    )
    return Report.objects.create(
        period=period,
        measure=measure,
        unit=Unit.objects.get(name=unit_name),
        role=Report.Role.SUPPORT,
        due_date=period.due_date,
        state="submitted",
        progress="已完成矿山地质环境治理恢复基金计提督查。",
    )


def test_a_revision_changing_one_unit_of_one_measure_shows_exactly_that_and_keeps_its_reports(annex1):
    measure = Measure.objects.get(task__plan=annex1, task__number=3)
    report = november_report(annex1, measure, unit_name="市生态环境局")
    _, rows = annex_rows()
    row = task_row(rows, 3)
    assert row.cells[3] == "市生态环境局、文旅广局"
    row.cells[3] = "市生态环境局、文旅广局、水利局"
    data = build_xlsx(rows)

    preview = tasklist_preview(plan=annex1, file_name="修订稿.xlsx", data=data)
    diff = preview.diff
    assert [(t.number, t.status) for t in diff.changed_tasks] == [(3, "changed")]
    [task] = diff.changed_tasks
    assert task.changes == []
    [changed] = [m for m in task.measures if m.status != "unchanged"]
    [change] = changed.changes
    assert (change.field, change.added, change.removed) == ("责任单位/地区", ["市水利局"], [])
    assert (change.old, change.new) == ("市生态环境局、市文旅广局", "市生态环境局、市文旅广局、市水利局")
    assert (diff.count("unchanged"), diff.count("unchanged", measures=True)) == (47, 51)
    assert diff.summary() == "重点任务：修改 1 项、未变 47 项；关键举措：修改 1 项、未变 51 项。"

    revision, _ = tasklist_import(plan=annex1, file_name="修订稿.xlsx", data=data)
    assert revision.number == 2
    measure.refresh_from_db()
    assert [u.name for u in measure.support_units()] == ["市生态环境局", "市文旅广局", "市水利局"]
    assert Report.objects.get(pk=report.pk).measure_id == measure.pk
    assert measure.reports.count() == 1


def test_a_task_missing_from_the_revision_is_archived_and_keeps_its_reports(annex1, client):
    task48 = Task.objects.get(plan=annex1, number=48)
    report = november_report(annex1, task48.measures.get(), unit_name="市委组织部")
    _, rows = annex_rows()
    rows.remove(task_row(rows, 48))
    revision, preview = tasklist_import(plan=annex1, file_name="修订稿.xlsx", data=build_xlsx(rows), note="删去第48项")
    assert [(t.number, t.status) for t in preview.diff.changed_tasks] == [(48, "removed")]
    task48.refresh_from_db()
    assert task48.archived_in == revision
    assert Report.objects.filter(pk=report.pk, measure__task=task48).exists()
    assert len(current_tasklist(annex1).tasks) == 47
    assert Task.objects.current().filter(plan=annex1).count() == 47
    page = text_of(client.get(reverse("task-detail", args=[task48.pk])))
    assert "已在第 2 版修订中移出清单（已归档）" in page
    # the revision that dropped it, and the one before, still read as they stood
    assert len(PlanRevision.objects.get(plan=annex1, number=1).snapshot["tasks"]) == 48
    assert len(revision.snapshot["tasks"]) == 47
    # putting it back brings the same task (and its report) back
    tasklist_import(plan=annex1, file_name="附件1.xlsx", data=build_xlsx())
    task48.refresh_from_db()
    assert task48.archived_in is None and task48.measures.get().reports.count() == 1


def test_reimporting_an_identical_file_changes_nothing_and_says_so(annex1):
    data = build_docx()
    revision, preview = tasklist_import(plan=annex1, file_name="附件1.docx", data=data)
    assert revision is None
    assert preview.diff.summary() == "与当前清单完全一致，没有任何变化。"
    assert PlanRevision.objects.filter(plan=annex1).count() == 1


def test_a_new_task_is_added_with_its_units(annex1):
    _, rows = annex_rows()
    rows.append(AnnexRow(cells=["49.培育数据要素产业。", "建设数据中心集群。", "市数据局", "各旗市区", "", ""]))
    Unit.objects.create(name="市数据局", kind="city_department")
    revision, preview = tasklist_import(plan=annex1, file_name="修订稿.xlsx", data=build_xlsx(rows))
    assert [(t.number, t.status) for t in preview.diff.changed_tasks] == [(49, "added")]
    assert preview.diff.units_added == ["市数据局"]
    task49 = Task.objects.get(plan=annex1, number=49)
    assert task49.introduced_in == revision
    assert task49.sector.heading == "（六）人才保障"


def test_several_plans_keep_their_own_revisions(annex1):
    other = plan_get_or_create(name="另一份方案")
    tasklist_import(plan=other, file_name="附件1.docx", data=build_docx())
    _, rows = annex_rows()
    task_row(rows, 2).cells[1] = "修订后的举措。"
    tasklist_import(plan=other, file_name="修订稿.xlsx", data=build_xlsx(rows))
    assert list(other.revisions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert list(annex1.revisions.values_list("number", flat=True)) == [1]
    assert Measure.objects.get(task__plan=annex1, task__number=2).text != "修订后的举措。"
    assert Measure.objects.get(task__plan=other, task__number=2).text == "修订后的举措。"


def provincial_list(units: str = "自治区农牧厅、财政厅") -> bytes:
    header, _ = annex_rows()
    rows = [
        AnnexRow(heading="一、做强农畜产品加工业"),
        AnnexRow(heading="（一）乳业：提质增效"),
        AnnexRow(
            cells=["1.推动乳业振兴。", "建设奶源基地。", units, "自治区商务厅、工信厅", "奶牛存栏达到200万头。", ""]
        ),
    ]
    return build_xlsx(rows, header=header)


def test_an_unknown_unit_stops_the_import_with_the_nearest_known_names(annex1):
    plan = plan_get_or_create(name="自治区农畜产品加工业方案")
    with pytest.raises(TaskListError) as caught:
        tasklist_import(plan=plan, file_name="自治区清单.xlsx", data=provincial_list())
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 4
    assert "未知单位“自治区农牧厅”" in messages[0]
    assert "未知单位“财政厅”（也按“自治区财政厅”查找过）" in messages[1]
    assert all("第 6 行" in m for m in messages)
    assert not Unit.objects.filter(name__startswith="自治区").exists()
    assert not plan.revisions.exists()


def test_a_provincial_list_imports_with_create_units_and_prefix_elision(annex1):
    plan = plan_get_or_create(name="自治区农畜产品加工业方案")
    revision, preview = tasklist_import(
        plan=plan, file_name="自治区清单.xlsx", data=provincial_list(), create_units=True
    )
    assert revision.number == 1
    created = Unit.objects.filter(name__startswith="自治区").order_by("name")
    assert sorted(created.values_list("name", flat=True)) == [
        "自治区农牧厅",
        "自治区商务厅",
        "自治区工信厅",
        "自治区财政厅",
    ]
    assert all(unit.needs_review and unit.kind == "city_department" for unit in created)
    measure = Measure.objects.get(task__plan=plan)
    assert [u.name for u in measure.lead_units()] == ["自治区农牧厅", "自治区财政厅"]
    assert len([w for w in preview.read.warnings if "新建单位" in w.message]) == 4


def test_the_revision_pages_show_the_history_and_any_revision_as_it_stood(
    annex1, client, django_assert_num_queries, django_user_model
):
    _, rows = annex_rows()
    task_row(rows, 1).cells[0] = "1.推动煤炭资源稳定接续发展（修订）。"
    rows.remove(task_row(rows, 48))
    tasklist_import(plan=annex1, file_name="修订稿.xlsx", data=build_xlsx(rows), note="第二稿")

    # session; user; the plan; its revisions with who imported them; archived tasks with the
    # revision that archived them; unread inbox
    with django_assert_num_queries(6):
        page = text_of(client.get(reverse("revision-list", args=[annex1.pk])))
    assert "第 2 版" in page and "第 1 版" in page and "第二稿" in page
    assert "重点任务：新增 48 项" in page
    assert "重点任务：移出（归档） 1 项、修改 1 项、未变 46 项" in page
    assert "48.健全人才培养体系。 第 2 版移出" in page

    # session; user; the plan; the revision with who imported it; today's task rows by number;
    # the latest revision; unread inbox
    with django_assert_num_queries(7):
        response = client.get(reverse("revision-detail", args=[annex1.pk, 1]))
    page = text_of(response)
    assert "第 1 版（按当时原样）" in page and "这不是当前版本" in page
    assert "1.推动煤炭资源稳定接续发展。" not in page  # titles are shown without their number
    assert "推动煤炭资源稳定接续发展。" in page and "健全人才培养体系。" in page
    assert response.content.decode().count('href="/tasks/') == 48  # archived task 48 still links to its history

    page = text_of(client.get(reverse("revision-detail", args=[annex1.pk, 2])))
    assert "推动煤炭资源稳定接续发展（修订）。" in page and "健全人才培养体系。" in page  # in the diff
    assert "重点任务 推动煤炭资源稳定接续发展。 → 推动煤炭资源稳定接续发展（修订）。" in page
    assert client.get(reverse("revision-detail", args=[annex1.pk, 9])).status_code == 404


def test_the_stored_source_file_is_for_staff_only(annex1, client, django_user_model, settings):
    _, rows = annex_rows()
    task_row(rows, 2).cells[1] = "修订后的举措。"
    data = build_xlsx(rows)
    revision, _ = tasklist_import(plan=annex1, file_name="修订稿.xlsx", data=data)
    url = reverse("revision-source", args=[annex1.pk, revision.number])
    refused = client.get(url)  # a leader is not staff: refused, and not sent to the admin's login
    assert refused.status_code == 403 and settings.ADMIN_URL not in refused.content.decode()
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    admin = django_user_model.objects.create_user("admin2", password="x", is_staff=True)
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert "filename*=utf-8" in response["Content-Disposition"]


@pytest.mark.parametrize(("fmt", "suffix"), [("distributed", ".xlsx"), ("flat", ".xlsx"), ("csv", ".csv")])
def test_the_export_links_download_the_list(annex1, client, fmt, suffix):
    response = client.get(reverse("plan-export", args=[annex1.pk, fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and suffix in response["Content-Disposition"]
    response = client.get(reverse("revision-export", args=[annex1.pk, 1, fmt]))
    assert response.status_code == 200
    assert client.get(reverse("plan-export", args=[annex1.pk, "pdf"])).status_code == 404


@pytest.fixture
def forget_content_types():
    """``flush`` recreates content types and permissions under new ids inside the test's transaction;
    the rollback brings the old ones back, so the cache must not keep the new ids."""
    from django.contrib.contenttypes.models import ContentType

    yield
    ContentType.objects.clear_cache()


def test_a_fresh_installation_can_start_from_any_list(annex1, tmp_path, forget_content_types):
    from django.core.management import call_command

    from tasks_app.models import Plan

    call_command("flush", interactive=False, verbosity=0)  # an empty database (rolled back after the test)
    assert not Unit.objects.exists() and not Plan.objects.exists()
    path = tmp_path / "自治区清单.xlsx"
    path.write_bytes(provincial_list())
    call_command("import_tasklist", str(path), "--plan", "自治区农畜产品加工业方案", "--create-units", "--quiet")
    plan = Plan.objects.get()
    assert plan.is_default and plan.revisions.get().number == 1
    assert Unit.objects.count() == 4 and all(unit.needs_review for unit in Unit.objects.all())
