"""Bad input gets a clear Chinese error naming file, sheet, row and column, and writes nothing."""

from __future__ import annotations

import io
import zipfile

import pytest

from tasks_app.models import Measure, PlanRevision, Task, Unit
from tasks_app.services.plans import tasklist_import
from tasks_app.tasklist.problems import TaskListError
from tests.support.files import annex1_rows, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

LEAD = 5  # 0-based column of 牵头单位 in the flat template


def world() -> tuple:
    return (
        Task.objects.count(),
        Measure.objects.count(),
        PlanRevision.objects.count(),
        Unit.objects.count(),
        list(Measure.objects.order_by("pk").values_list("text", flat=True)),
    )


def import_fails(plan, name: str, data: bytes, **kwargs) -> list[str]:
    before = world()
    with pytest.raises(TaskListError) as caught:
        tasklist_import(plan=plan, file_name=name, data=data, **kwargs)
    assert world() == before, "a failed import must write nothing"
    messages = [str(p) for p in caught.value.problems if p.is_error]
    assert messages
    return messages


def test_a_missing_column_is_named_with_the_header_row(annex1):
    rows = [row[:LEAD] + row[LEAD + 1 :] for row in annex1_rows()]
    [message] = import_fails(annex1, "修订稿.xlsx", xlsx_bytes(rows))
    assert message == "错误：文件“修订稿.xlsx” 工作表“任务清单” 第 1 行：缺少列：“牵头单位”。"


def test_an_unknown_unit_names_its_cell_and_suggests_known_units(annex1):
    rows = annex1_rows()
    rows[3][LEAD] = "市自然资源局、林业局"
    [message] = import_fails(annex1, "修订稿.xlsx", xlsx_bytes(rows))
    assert message.startswith("错误：文件“修订稿.xlsx” 工作表“任务清单” 第 4 行 第 F 列 （牵头单位）：未知单位“林业局”")
    assert "最接近的已知单位：" in message and "市林草局" in message


def test_every_unknown_unit_is_listed_not_just_the_first(annex1):
    rows = annex1_rows()
    rows[1][LEAD + 1] = "市火星局"
    rows[10][LEAD] = "水星办"
    messages = import_fails(annex1, "修订稿.xlsx", xlsx_bytes(rows))
    assert len(messages) == 2
    assert "第 2 行 第 G 列 （责任单位/地区）：未知单位“市火星局”" in messages[0]
    assert "第 11 行 第 F 列 （牵头单位）：未知单位“水星办”" in messages[1]


def test_a_duplicate_number_for_a_different_task_is_refused(annex1):
    rows = annex1_rows()
    rows[7][0] = 5  # the row of task 7 claims number 5, which task 5 already has
    [message] = import_fails(annex1, "修订稿.xlsx", xlsx_bytes(rows))
    assert "第 8 行 第 A 列 （序号）：序号 5 重复：第 6 行已有第 5 项任务。" in message


def test_a_repeated_number_right_below_with_another_title_is_refused(annex1):
    rows = annex1_rows()
    rows[2][0] = 1  # task 2's row right below task 1's
    [message] = import_fails(annex1, "修订稿.xlsx", xlsx_bytes(rows))
    assert "第 3 行 第 A 列 （序号）：序号 1 重复" in message
    assert "与第 2 行“推动煤炭资源稳定接续发展。”不同" in message


def test_an_empty_lead_cell_is_refused(annex1):
    rows = annex1_rows()
    rows[20][LEAD] = "  "
    [message] = import_fails(annex1, "修订稿.xlsx", xlsx_bytes(rows))
    assert "第 21 行 第 F 列 （牵头单位）：牵头单位为空" in message


def test_a_number_that_is_not_a_number_is_refused(annex1):
    rows = annex1_rows()
    rows[4][0] = "四"
    [message] = import_fails(annex1, "修订稿.xlsx", xlsx_bytes(rows))
    assert "第 5 行 第 A 列 （序号）：序号“四”不是正整数。" in message


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("清单.xlsx", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "无法识别的文件"),
        ("清单.xlsx", b"PK\x03\x04this is not really a zip", "文件已损坏"),
        ("清单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "另存为 .xlsx"),
        ("清单.xlsx", b"", "文件是空的"),
        (
            "说明.csv",
            "这是一份会议通知，不是任务清单。\n请各单位按时参会。\n".encode("gb18030"),
            "没有找到任务清单的表头",
        ),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(annex1, name, data, expected):
    [message] = import_fails(annex1, name, data)
    assert message.startswith(f"错误：文件“{name}”")
    assert expected in message


def test_a_zip_that_is_not_a_workbook_is_refused(annex1):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    [message] = import_fails(annex1, "清单.xlsx", buffer.getvalue())
    assert "不是 Excel（.xlsx）或 Word（.docx）文件" in message


def test_a_zip_bomb_dressed_as_xlsx_is_refused_without_inflating_it(annex1):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    [message] = import_fails(annex1, "清单.xlsx", buffer.getvalue())
    assert "疑似压缩炸弹" in message


def test_an_empty_workbook_is_refused(annex1):
    [message] = import_fails(annex1, "空白.xlsx", xlsx_bytes([]))
    assert "空工作簿" in message


def test_a_cell_over_the_length_limit_is_refused(annex1):
    rows = annex1_rows()
    rows[2][4] = "长" * 20_001
    [message] = import_fails(annex1, "修订稿.xlsx", xlsx_bytes(rows))
    assert "第 3 行 第 E 列：单元格有 20001 个字符，超过上限 20000。" in message


def test_a_file_over_the_size_limit_is_refused(annex1, settings):
    settings.TASKLIST_MAX_UPLOAD_BYTES = 1024
    [message] = import_fails(annex1, "大文件.csv", csv_bytes(annex1_rows()))
    assert "超过上限" in message


def test_a_gb18030_csv_with_a_bad_cell_names_row_and_column(annex1):
    rows = annex1_rows()
    rows[5][LEAD] = ""
    [message] = import_fails(annex1, "清单.csv", csv_bytes(rows, encoding="gb18030"))
    assert message.startswith("错误：文件“清单.csv” 第 6 行 第 F 列 （牵头单位）：牵头单位为空")


def test_with_create_units_an_unknown_unit_is_created_for_review(annex1):
    rows = annex1_rows()
    rows[3][LEAD + 1] = "市自然资源局、市数据局"
    revision, preview = tasklist_import(plan=annex1, file_name="修订稿.xlsx", data=xlsx_bytes(rows), create_units=True)
    assert revision is not None and revision.number == 2
    unit = Unit.objects.get(name="市数据局")
    assert unit.needs_review
    assert any("新建单位“市数据局”" in str(w) for w in preview.read.warnings)
