"""The annex as distributed — XLSX and Word, title row, merged headings and cells — reads as the same list."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from openpyxl import load_workbook

from tasks_app.models import Measure, Part, PlanRevision, Sector, Task
from tasks_app.services.plans import plan_get_or_create, tasklist_import
from tasks_app.tasklist.reader import read_tasklist
from tests.support.annex1_documents import AnnexRow, annex_rows, build_docx, build_xlsx, task_row
from tests.support.files import annex1_rows, csv_bytes
from tests.support.plan_text import read_rows

pytestmark = pytest.mark.django_db

BUILDERS = {"xlsx": build_xlsx, "docx": build_docx}


def flat_list():
    return read_tasklist("annex1.xlsx", settings.ANNEX1_FIXTURE.read_bytes()).tasklist


def first_row_of(rows: list[AnnexRow], number: int, *, first: int) -> int:
    """The 1-based sheet row (``first`` = row of rows[0]) of task ``number``."""
    return first + rows.index(task_row(rows, number))


def errors(result) -> list[str]:
    return [str(p) for p in result.errors]


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_the_annex_as_distributed_reads_as_the_same_list_as_the_flat_template(annex1, kind):
    result = read_tasklist(f"附件1.{kind}", BUILDERS[kind]())
    assert result.layout == "distributed"
    assert result.problems == []
    assert result.tasklist.to_json() == flat_list().to_json()
    task27 = result.tasklist.task(27)
    assert [m.lead for m in task27.measures] == [["市工信局"], ["市工信局"]]
    assert task27.measures[1].support == task27.measures[0].support
    assert result.tasklist.task(10).measures[0].lead_text == "市能源局、工信局"  # line break inside the cell


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_importing_the_annex_as_distributed_over_annex1_changes_nothing(annex1, kind):
    revision, preview = tasklist_import(plan=annex1, file_name=f"附件1.{kind}", data=BUILDERS[kind]())
    assert revision is None
    assert preview.diff.is_empty
    assert PlanRevision.objects.filter(plan=annex1).count() == 1


def test_the_word_table_starts_a_new_plan_with_every_text_verbatim(annex1):
    plan = plan_get_or_create(name="附件1（Word 版）")
    revision, _ = tasklist_import(plan=plan, file_name="实施方案.docx", data=build_docx())
    assert revision.number == 1
    assert Task.objects.filter(plan=plan).count() == 48
    assert Part.objects.filter(plan=plan).count() == 3
    assert Sector.objects.filter(part__plan=plan).count() == 15
    _, rows = read_rows()
    measures = Measure.objects.filter(task__plan=plan).select_related("task").order_by("task__number", "position")
    for measure, row in zip(measures, rows, strict=True):
        assert (measure.task.number, measure.task.title, measure.text) == (row.task_number, row.task_title, row.measure)
        targets = [t.text for t in measure.targets.order_by("phase__ordinal")]
        assert targets == [t for t in (row.phase1, row.phase2) if t]
    assert Task.objects.get(plan=plan, number=1).sector.heading == "（一）煤炭产业：稳量提质与绿色智能并进"


def test_a_workbook_whose_first_sheet_is_instructions_says_which_sheet_it_read(annex1):
    instructions = ["填报说明", "1. 请勿修改表头。", "2. 单位名称之间用顿号分隔。"]
    result = read_tasklist("修订稿.xlsx", build_xlsx(first_sheets={"说明": instructions}))
    assert result.ok and result.sheet == "附件1"
    [warning] = [str(p) for p in result.warnings]
    assert (
        warning
        == "提醒：文件“修订稿.xlsx” 工作表“附件1”：文件有 2 个表，读取的是“附件1”（第 3 行为表头，附件原表格式）。"
    )


def test_a_task_cell_without_its_number_is_refused_with_row_and_column(annex1):
    _, rows = annex_rows()
    task_row(rows, 5).cells[0] = "推进增量配电网试点建设。"
    result = read_tasklist("修订稿.xlsx", build_xlsx(rows))
    line = first_row_of(rows, 6, first=4) - 1  # task 5's row sits right above task 6's
    assert errors(result) == [
        f"错误：文件“修订稿.xlsx” 工作表“附件1” 第 {line} 行 第 A 列 （重点任务）："
        "重点任务“推进增量配电网试点建设。”前没有序号（应写成“1.推动…”）。"
    ]


def test_a_duplicate_task_number_is_refused(annex1):
    _, rows = annex_rows()
    row = task_row(rows, 8)
    row.cells[0] = row.cells[0].replace("8.", "7.", 1)
    result = read_tasklist("修订稿.xlsx", build_xlsx(rows))
    [message] = errors(result)
    assert "第 A 列 （重点任务）：序号 7 重复" in message


def test_an_empty_lead_cell_is_refused_unless_merged_with_the_row_above(annex1):
    _, rows = annex_rows()
    second = rows[rows.index(task_row(rows, 27)) + 1]
    second.continues.discard(2)  # the empty 牵头单位 cell of task 27's second measure, no longer merged
    result = read_tasklist("修订稿.xlsx", build_xlsx(rows))
    line = 4 + rows.index(second)
    assert errors(result) == [
        f"错误：文件“修订稿.xlsx” 工作表“附件1” 第 {line} 行 第 C 列 （牵头单位）："
        "牵头单位为空：每项举措都要写明牵头单位（与上一行相同时请合并单元格）。"
    ]


def test_an_unknown_unit_in_a_word_table_names_the_table_row_and_column(annex1):
    _, rows = annex_rows()
    task_row(rows, 3).cells[2] = "市林业局"
    result = read_tasklist("实施方案.docx", build_docx(rows))
    [message] = errors(result)
    line = 1 + rows.index(task_row(rows, 3)) + 1
    assert message.startswith(
        f"错误：文件“实施方案.docx” 第 1 个表格 第 {line} 行 第 3 列 （牵头单位）：未知单位“市林业局”"
    )
    assert "最接近的已知单位：" in message and "市林草局" in message


def test_a_missing_column_of_the_annex_is_named(annex1):
    header, rows = annex_rows()
    for row in rows:
        if row.heading is None:
            del row.cells[2]
            row.continues = {c if c < 2 else c - 1 for c in row.continues if c != 2}
    result = read_tasklist("修订稿.xlsx", build_xlsx(rows, header=header[:2] + header[3:]))
    assert errors(result) == ["错误：文件“修订稿.xlsx” 工作表“附件1” 第 3 行：缺少列：“牵头单位”。"]


def test_the_header_repeated_inside_the_table_is_skipped(annex1):
    header, rows = annex_rows()
    at = rows.index(task_row(rows, 22)) - 2  # before the heading of part 二
    rows.insert(at, AnnexRow(cells=list(header)))
    result = read_tasklist("修订稿.xlsx", build_xlsx(rows))
    assert result.problems == [] and result.tasklist.to_json() == flat_list().to_json()


def test_a_copy_without_merged_cells_reads_headings_and_tasks_but_not_an_unmerged_empty_lead(annex1):
    header, rows = annex_rows()
    workbook_rows = [["附件1"], ["任务清单"], header]
    for row in rows:
        workbook_rows.append([row.heading] if row.heading is not None else row.cells)
    from tests.support.files import xlsx_bytes

    result = read_tasklist("无合并.xlsx", xlsx_bytes(workbook_rows, title="附件1"))
    second_of_27 = 4 + rows.index(task_row(rows, 27)) + 1
    assert [(p.row, p.field) for p in result.errors] == [(second_of_27, "牵头单位")]
    assert len(result.tasklist.tasks) == 48 and result.tasklist.measure_count == 52
    assert result.tasklist.task(1).part == "一、推进五业协同，实现传统产业升级与新兴产业突破"


def test_an_unnumbered_heading_is_read_with_a_warning(annex1):
    _, rows = annex_rows()
    rows.insert(rows.index(task_row(rows, 48)), AnnexRow(heading="人才保障补充"))
    result = read_tasklist("修订稿.xlsx", build_xlsx(rows))
    assert result.ok
    [warning] = result.warnings
    assert "标题行“人才保障补充”没有编号" in warning.message and "按领域标题读取" in warning.message
    assert result.tasklist.task(48).sector == "人才保障补充"


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_literal_formula_text_in_a_cell_is_kept_as_text(annex1, kind):
    formula = '=HYPERLINK("http://example.com/附件.pdf","见附件")'
    _, rows = annex_rows()
    task_row(rows, 2).cells[1] = formula
    data = BUILDERS[kind](rows)
    if kind == "xlsx":
        # openpyxl would store a string starting with "=" as a formula: make it the text cell Excel writes
        workbook = load_workbook(io.BytesIO(data))
        sheet = workbook.active
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.value == formula:
                    cell.data_type, cell.quotePrefix = "s", True
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    result = read_tasklist(f"修订稿.{kind}", data)
    assert result.ok, errors(result)
    assert result.tasklist.task(2).measures[0].text == formula


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8", "utf-8-sig"])
def test_a_flat_csv_is_read_in_any_of_its_encodings(annex1, encoding):
    result = read_tasklist("清单.csv", csv_bytes(annex1_rows(), encoding=encoding))
    assert result.ok and result.layout == "flat"
    assert result.tasklist.to_json() == flat_list().to_json()


def test_reading_reports_its_progress(annex1):
    calls = []
    read_tasklist("附件1.xlsx", build_xlsx(), progress=lambda stage, done, total: calls.append((stage, done, total)))
    stage, done, total = calls[-1]
    assert stage == "读取" and done == total == len(annex_rows()[1])


def test_a_zip_bomb_dressed_as_docx_is_refused_without_inflating_it(annex1):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * (300 * 1024 * 1024))
    result = read_tasklist("实施方案.docx", buffer.getvalue())
    [message] = errors(result)
    assert message.startswith("错误：文件“实施方案.docx”：") and "疑似压缩炸弹" in message


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("damaged", "无法读取 Word 文件"),
        ("no table", "Word 文件中没有表格"),
        ("other table", "没有找到任务清单的表头"),
    ],
)
def test_a_word_file_without_the_annex_table_is_refused(annex1, document, expected):
    from docx import Document

    if document == "damaged":
        buffer = io.BytesIO()
        import zipfile

        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document>not xml")
        data = buffer.getvalue()
    else:
        word = Document()
        word.add_paragraph("关于召开工业经济运行调度会的通知")
        if document == "other table":
            table = word.add_table(rows=2, cols=3)
            for column, text in enumerate(["姓名", "单位", "电话"]):
                table.cell(0, column).text = text
        buffer = io.BytesIO()
        word.save(buffer)
        data = buffer.getvalue()
    [message] = errors(read_tasklist("通知.docx", data))
    assert message.startswith("错误：文件“通知.docx”") and expected in message


def test_a_second_table_with_the_same_header_is_pointed_out(annex1):
    from docx import Document

    word = Document(io.BytesIO(build_docx()))
    word.add_paragraph("（续表）")
    header, _ = annex_rows()
    extra = word.add_table(rows=1, cols=len(header))
    for column, text in enumerate(header):
        extra.cell(0, column).text = text
    buffer = io.BytesIO()
    word.save(buffer)
    result = read_tasklist("实施方案.docx", buffer.getvalue())
    assert result.ok
    assert any("“第 2 个表格”的表头与“第 1 个表格”相同，但只读取了“第 1 个表格”" in w.message for w in result.warnings)
