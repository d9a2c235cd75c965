"""The admin imports a revised task list: upload → dry run → preview (a diff) → confirm, in one transaction.

The admin of 督查室's system, 管理员 王, does it; a second admin, 管理员 赵, must not confirm
王's upload. Written with the Django test client against the real admin and django-import-export.
"""

from __future__ import annotations

import re
import tempfile
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from tasks_app.models import ImportJob, Measure, Part, Plan, PlanRevision, Role, Sector, Task, Unit, User
from tasks_app.services.plans import tasklist_import
from tests.support.annex1_documents import AnnexRow, annex_rows, build_docx, build_xlsx, task_row

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:tasks_app_planrevision_import"
CONFIRM_URL = "admin:tasks_app_planrevision_process_import"


@pytest.fixture
def wang(annex1) -> User:
    """管理员 王: imports the revised lists."""
    return User.objects.create_user(
        "wang", password="Demo@2026", first_name="管理员 王", role=Role.ADMIN, is_staff=True, is_superuser=True
    )


@pytest.fixture
def wang_client(client, wang):
    client.force_login(wang)
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def one_unit_revision() -> bytes:
    """附件1 with one more supporting unit (市水利局) on task 3."""
    _, rows = annex_rows()
    task_row(rows, 3).cells[3] = "市生态环境局、文旅广局、水利局"
    return build_xlsx(rows)


def upload(client, data: bytes, name: str = "修订稿.xlsx", **fields):
    plan = fields.pop("plan", None)
    form = {
        "import_file": SimpleUploadedFile(name, data),
        "format": "0",
        "resource": "0",
        "plan": "" if plan is None else plan.pk,
        "plan_name": "",
        "note": "",
    } | fields
    return client.post(reverse(IMPORT_URL), form)


def confirm(client, token: str, name: str = "修订稿.xlsx"):
    return client.post(
        reverse(CONFIRM_URL),
        {"import_file_name": token, "original_file_name": name, "format": "0", "resource": "0", "confirm": "确认导入"},
    )


def token_of(response) -> str:
    return response.context["confirm_form"].initial["import_file_name"]


def world() -> tuple:
    return (
        PlanRevision.objects.count(),
        Task.objects.count(),
        Measure.objects.count(),
        Part.objects.count(),
        Sector.objects.count(),
        Unit.objects.count(),
        Plan.objects.count(),
        list(Measure.objects.order_by("pk").values_list("text", "lead_units_text", "support_units_text")),
    )


def test_upload_preview_confirm_applies_exactly_the_previewed_revision(wang_client, annex1, wang):
    page = text_of(wang_client.get(reverse(IMPORT_URL)))
    assert "附件原表" in page and "平铺模板" in page and "自动新建未知单位" in page

    data = one_unit_revision()
    before = world()
    response = upload(wang_client, data, plan=annex1, note="征求意见后修订")
    assert response.status_code == 200
    page = text_of(response)
    assert "修订预览：与当前清单相比" in page
    assert "重点任务：修改 1 项、未变 47 项；关键举措：修改 1 项、未变 51 项。" in page
    assert "责任单位/地区 市水利局" in page  # the unit added, then old → new
    assert "市生态环境局、市文旅广局 → 市生态环境局、市文旅广局、市水利局" in page
    assert "识别为附件原表格式，读取“附件1”：48 项重点任务、52 项关键举措" in page
    assert "确认后作为“《关于推进呼伦贝尔市“十五五”工业经济高质量发展实施方案》任务清单”第 2 版" in page
    assert world() == before, "nothing is written before confirm"

    token = token_of(response)
    job = ImportJob.objects.get(token=token)
    assert job.state == ImportJob.State.PREVIEWED and bytes(job.data) == data and job.created_by == wang

    response = confirm(wang_client, token)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:tasks_app_planrevision_import_job", args=[token])
    revision = PlanRevision.objects.get(plan=annex1, number=2)
    assert (revision.created_by, revision.note, revision.source_name) == (wang, "征求意见后修订", "修订稿.xlsx")
    assert revision.diff["counts"]["measures"]["changed"] == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.APPLIED and job.revision == revision and bytes(job.data) == b""
    page = text_of(wang_client.get(response["Location"]))
    assert "已导入为“《关于推进呼伦贝尔市“十五五”工业经济高质量发展实施方案》任务清单”第 2 版" in page
    measure = Measure.objects.get(task__plan=annex1, task__number=3)
    assert [u.name for u in measure.support_units()] == ["市生态环境局", "市文旅广局", "市水利局"]


def test_an_identical_file_says_so_and_offers_no_confirm(wang_client, annex1):
    response = upload(wang_client, build_docx(), name="附件1.docx", plan=annex1)
    page = text_of(response)
    assert "与当前清单完全一致，没有任何变化，无需导入" in page
    assert 'value="确认导入"' not in response.content.decode()
    response = confirm(wang_client, token_of(response), name="附件1.docx")
    assert PlanRevision.objects.filter(plan=annex1).count() == 1
    assert "无需导入" in text_of(wang_client.get(response["Location"]))


def test_every_problem_is_listed_by_row_and_column_and_nothing_can_be_confirmed(wang_client, annex1):
    _, rows = annex_rows()
    task_row(rows, 3).cells[2] = "市林业局"
    task_row(rows, 9).cells[2] = ""
    response = upload(wang_client, build_xlsx(rows), plan=annex1)
    page = text_of(response)
    assert "文件有 2 处错误，未导入" in page
    line3, line9 = 4 + rows.index(task_row(rows, 3)), 4 + rows.index(task_row(rows, 9))
    assert f"文件“修订稿.xlsx” 工作表“附件1” 第 {line3} 行 第 C 列 （牵头单位） 未知单位“市林业局”" in page
    assert "最接近的已知单位：" in page
    assert f"第 {line9} 行 第 C 列 （牵头单位） 牵头单位为空" in page
    assert 'value="确认导入"' not in response.content.decode()
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.INVALID
    before = world()
    response = confirm(wang_client, job.token)
    assert world() == before
    assert "不能确认" in text_of(wang_client.get(response["Location"]))


def test_the_upload_waits_in_the_database_so_any_server_can_take_the_confirm(
    wang_client, annex1, wang, tmp_path, monkeypatch
):
    own_temp = tmp_path / "server-a-tmp"
    own_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own_temp))
    response = upload(wang_client, one_unit_revision(), plan=annex1)
    other_server = Client()  # shares nothing with the first client but the database
    other_server.force_login(wang)
    confirm(other_server, token_of(response))
    assert PlanRevision.objects.filter(plan=annex1, number=2).exists()
    assert list(own_temp.iterdir()) == [], "django-import-export's temporary folder is not used"


def test_a_confirm_after_the_list_changed_is_refused_and_writes_nothing(wang_client, annex1):
    response = upload(wang_client, one_unit_revision(), plan=annex1)
    _, rows = annex_rows()
    task_row(rows, 2).cells[1] = "另一位管理员的修订。"
    tasklist_import(plan=annex1, file_name="另一稿.xlsx", data=build_xlsx(rows))  # meanwhile
    before = world()
    response = confirm(wang_client, token_of(response))
    assert world() == before
    job = ImportJob.objects.get(token=response["Location"].rstrip("/").split("/")[-1])
    assert job.state == ImportJob.State.FAILED
    page = text_of(wang_client.get(response["Location"]))
    assert "导入失败，未写入任何内容" in page and "自预览以来，当前清单或单位目录已有变化" in page


def new_task_revision(unit: str = "市工信局") -> bytes:
    _, rows = annex_rows()
    rows.append(AnnexRow(cells=["49.培育数据要素产业。", "建设数据中心集群。", unit, "各旗市区", "", ""]))
    return build_xlsx(rows)


@contextmanager
def failing_unit_links_installed():
    """The database itself fails every insert of a measure's unit link, as a full disk would."""
    name = "taskboard_test_fail"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'could not extend file: No space left on device'; END; $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT ON tasks_app_measureunit FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT ON tasks_app_measureunit "
                "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON tasks_app_measureunit")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def test_a_database_failure_mid_apply_writes_nothing(wang_client, annex1, settings):
    response = upload(wang_client, new_task_revision(), plan=annex1)
    token = token_of(response)
    before = world()
    with failing_unit_links_installed():
        response = confirm(wang_client, token)
    assert world() == before
    assert not list(settings.MEDIA_ROOT.rglob("*.xlsx")), "no stored file is left behind"
    job = ImportJob.objects.get(token=token)
    assert job.state == ImportJob.State.FAILED
    page = text_of(wang_client.get(response["Location"]))
    assert "写入数据库时出错" in page and "本次修订已整体撤销，未写入任何内容" in page


def test_a_unit_gone_between_preview_and_confirm_fails_the_confirm_and_writes_nothing(wang_client, annex1):
    Unit.objects.create(name="市数据局", kind="city_department")
    response = upload(wang_client, new_task_revision("市数据局"), plan=annex1)
    assert "新涉及的单位 市数据局" in text_of(response)
    Unit.objects.filter(name="市数据局").delete()
    before = world()
    response = confirm(wang_client, token_of(response))
    assert world() == before
    page = text_of(wang_client.get(response["Location"]))
    assert "未知单位“市数据局”" in page and "导入失败，未写入任何内容" in page


def test_a_new_plan_and_its_new_units_are_created_only_on_confirm(wang_client, annex1):
    header, _ = annex_rows()
    rows = [
        AnnexRow(heading="一、做强农畜产品加工业"),
        AnnexRow(cells=["1.推动乳业振兴。", "建设奶源基地。", "自治区农牧厅、财政厅", "", "奶牛存栏200万头。", ""]),
    ]
    response = upload(
        wang_client,
        build_xlsx(rows, header=header),
        name="自治区清单.xlsx",
        plan_name="自治区乳业方案",
        create_units="on",
    )
    page = text_of(response)
    assert "将新建的单位 自治区农牧厅 自治区财政厅" in page
    assert "新方案，确认导入时创建" in page
    assert not Plan.objects.filter(name="自治区乳业方案").exists()
    assert not Unit.objects.filter(name__startswith="自治区").exists()
    confirm(wang_client, token_of(response), name="自治区清单.xlsx")
    plan = Plan.objects.get(name="自治区乳业方案")
    assert plan.revisions.get().number == 1
    assert set(Unit.objects.filter(needs_review=True).values_list("name", flat=True)) >= {
        "自治区农牧厅",
        "自治区财政厅",
    }


def test_another_admin_cannot_see_or_confirm_someone_elses_upload(wang_client, annex1):
    response = upload(wang_client, one_unit_revision(), plan=annex1)
    token = token_of(response)
    zhao = User.objects.create_user("zhao", password="x", first_name="管理员 赵", role=Role.ADMIN, is_staff=True)
    zhao.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_planrevision", "view_planrevision"]),
    )
    other = Client()
    other.force_login(zhao)
    assert other.get(reverse("admin:tasks_app_planrevision_import_job", args=[token])).status_code == 403
    confirm(other, token)
    assert PlanRevision.objects.filter(plan=annex1).count() == 1


def test_a_reporter_cannot_import(client, annex1):
    reporter = User.objects.create_user("nengyuan2", password="x", role=Role.REPORTER, is_staff=True)
    client.force_login(reporter)
    assert client.get(reverse(IMPORT_URL)).status_code == 403


def test_a_file_over_the_size_limit_is_refused_by_the_form(wang_client, annex1, settings):
    settings.TASKLIST_MAX_UPLOAD_BYTES = 1024
    response = upload(wang_client, one_unit_revision(), plan=annex1)
    assert "文件“修订稿.xlsx”大小" in text_of(response) and "超过上限" in text_of(response)
    assert not ImportJob.objects.exists()


def test_the_revisions_changelist_offers_import_and_per_revision_links(wang_client, annex1):
    page = wang_client.get(reverse("admin:tasks_app_planrevision_changelist")).content.decode()
    assert reverse(IMPORT_URL) in page
    assert reverse("revision-detail", args=[annex1.pk, 1]) in page
    assert reverse("revision-export", args=[annex1.pk, 1, "distributed"]) in page
    page = wang_client.get(reverse("admin:tasks_app_plan_changelist")).content.decode()
    assert reverse("plan-export", args=[annex1.pk, "distributed"]) in page


def test_stale_uploads_are_dropped_and_old_failures_lose_their_bytes(annex1, time_machine):
    from tasks_app.services.imports import import_job_create

    time_machine.move_to("2026-11-02 09:00 +08:00")
    waiting = import_job_create(kind=ImportJob.Kind.TASKLIST, file_name="忘了确认.xlsx", data=b"x" * 10)
    failed = import_job_create(kind=ImportJob.Kind.TASKLIST, file_name="失败.xlsx", data=b"y" * 10)
    ImportJob.objects.filter(pk=failed.pk).update(state=ImportJob.State.FAILED)
    time_machine.move_to("2026-11-05 09:00 +08:00")
    import_job_create(kind=ImportJob.Kind.TASKLIST, file_name="新上传.xlsx", data=b"z")
    assert not ImportJob.objects.filter(pk=waiting.pk).exists()
    failed.refresh_from_db()
    assert bytes(failed.data) == b"" and failed.size == 10


def test_a_confirm_of_an_upload_that_is_gone_says_so(wang_client, annex1):
    response = confirm(wang_client, "0" * 32)
    assert response["Location"] == reverse(IMPORT_URL)
    response = wang_client.get(response["Location"])
    assert "上传的文件已过期或已导入，请重新上传" in text_of(response)
