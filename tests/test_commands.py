"""The command-line side: bootstrap, demo accounts, import and export."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tasks_app.models import PlanRevision, Role, Task, User
from tests.support.files import annex1_rows, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out, **kwargs)
    return out.getvalue()


def test_bootstrap_twice_changes_nothing_the_second_time(annex1):
    output = run("bootstrap")
    assert "与附件1一致，无需导入" in output
    assert PlanRevision.objects.count() == 1
    assert Task.objects.count() == 48


def test_demo_accounts_cover_every_role_and_are_idempotent(annex1):
    first = json.loads(run("demo_accounts", "--json"))
    second = json.loads(run("demo_accounts", "--json"))
    assert {row["role"] for row in first} == {label for _, label in Role.choices}
    assert [row["username"] for row in first] == [row["username"] for row in second]
    assert all(row["password"] == "Demo@2026" for row in first)
    assert all("已存在" in row["password"] for row in second)
    reporter = User.objects.get(username="nengyuan")
    assert reporter.unit.name == "市能源局" and reporter.role == Role.REPORTER
    assert reporter.check_password("Demo@2026")
    assert len({row["unit"] for row in first if row["unit"]}) >= 5


def test_import_dry_run_reports_the_changes_and_writes_nothing(annex1, tmp_path):
    rows = annex1_rows()
    rows[1][4] = rows[1][4] + "（修订）"
    path = tmp_path / "修订稿.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    output = run("import_tasklist", str(path), "--dry-run")
    assert "试导入（未写入）" in output and "修改 1 项" in output
    assert PlanRevision.objects.count() == 1
    assert not Task.objects.get(number=1).measures.get().text.endswith("（修订）")


def test_import_of_a_bad_file_fails_with_the_problems_listed(annex1, tmp_path):
    rows = annex1_rows()
    rows[2][5] = ""
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 处错误，未写入任何内容"):
        call_command("import_tasklist", str(path), stdout=io.StringIO(), stderr=err)
    assert "第 3 行 第 F 列 （牵头单位）：牵头单位为空" in err.getvalue()


def test_import_into_a_named_plan_creates_it(annex1, tmp_path):
    path = tmp_path / "省级清单.xlsx"
    path.write_bytes(xlsx_bytes(annex1_rows()))
    output = run("import_tasklist", str(path), "--plan", "另一份方案")
    assert "已导入为“另一份方案”第 1 版" in output
    assert Task.objects.filter(plan__name="另一份方案").count() == 48


def test_export_writes_xlsx_and_csv_in_the_flat_template(annex1, tmp_path):
    run("export_tasklist", "--format", "xlsx", "-o", str(tmp_path / "清单.xlsx"))
    sheet = load_workbook(tmp_path / "清单.xlsx").active
    assert sheet.max_row == 53
    assert [c.value for c in sheet[1]][:7] == [
        "序号",
        "板块",
        "领域",
        "重点任务",
        "关键举措",
        "牵头单位",
        "责任单位/地区",
    ]
    run("export_tasklist", "--format", "csv", "-o", str(tmp_path / "清单.csv"), "--encoding", "gb18030")
    text = (tmp_path / "清单.csv").read_bytes().decode("gb18030")
    assert "推动煤炭资源稳定接续发展。" in text


def test_export_of_an_earlier_revision_shows_it_as_it_stood(annex1, tmp_path):
    rows = annex1_rows()
    rows[1][3] = "推动煤炭资源稳定接续发展（修订）。"
    source = tmp_path / "修订稿.xlsx"
    source.write_bytes(xlsx_bytes(rows))
    run("import_tasklist", str(source))
    run("export_tasklist", "--format", "xlsx", "--revision", "1", "-o", str(tmp_path / "r1.xlsx"))
    assert load_workbook(tmp_path / "r1.xlsx").active["D2"].value == "推动煤炭资源稳定接续发展。"
    run("export_tasklist", "--format", "xlsx", "-o", str(tmp_path / "now.xlsx"))
    assert load_workbook(tmp_path / "now.xlsx").active["D2"].value == "推动煤炭资源稳定接续发展（修订）。"


def test_import_prints_its_progress(annex1, tmp_path):
    from tests.support.annex1_documents import annex_rows, build_docx, task_row

    _, rows = annex_rows()
    task_row(rows, 2).cells[1] = "修订后的举措。"
    path = tmp_path / "实施方案.docx"
    path.write_bytes(build_docx(rows))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tasklist", str(path), "--note", "Word 版修订", stdout=out, stderr=err)
    assert err.getvalue().splitlines() == [f"读取：{len(rows)}/{len(rows)} 行", "比对…", "写入…"]
    assert "已导入为“" in out.getvalue() and "第 2 版" in out.getvalue()
    assert PlanRevision.objects.get(number=2).note == "Word 版修订"


def test_export_writes_the_annex_layout_that_imports_back_unchanged(annex1, tmp_path):
    path = tmp_path / "附件1.xlsx"
    run("export_tasklist", "--layout", "distributed", "-o", str(path))
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "附件1" and sheet["A3"].value == "重点任务"
    output = run("import_tasklist", str(path), "--quiet")
    assert "没有任何变化，未生成新版本" in output
