"""Exports: the annex layout (print-ready XLSX), the flat template and CSV; importing any of them back is a no-op."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tasks_app.models import Measure, PlanRevision
from tasks_app.services.plans import tasklist_export, tasklist_import
from tasks_app.tasklist.apply import current_tasklist
from tasks_app.tasklist.export import write_flat_csv
from tasks_app.tasklist.export_distributed import write_distributed_xlsx
from tasks_app.unit_names import UnitDirectory
from tests.support.annex1_documents import annex_rows, build_xlsx, task_row
from tests.support.plan_text import read_rows

pytestmark = pytest.mark.django_db


def exported_sheet(plan):
    _, _, data = tasklist_export(plan=plan, fmt="distributed")
    return load_workbook(io.BytesIO(data)).active


def row_of(sheet, text: str) -> int:
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == text)


@pytest.mark.parametrize("fmt", ["distributed", "flat", "csv"])
def test_export_then_import_is_a_no_op(annex1, fmt):
    file_name, _, data = tasklist_export(plan=annex1, fmt=fmt)
    revision, preview = tasklist_import(plan=annex1, file_name=file_name, data=data)
    assert preview.read.problems == []
    assert revision is None and preview.diff.is_empty
    assert preview.read.layout == ("distributed" if fmt == "distributed" else "flat")


def test_a_gb18030_csv_export_reads_back_as_the_same_list(annex1):
    data = write_flat_csv(current_tasklist(annex1), encoding="gb18030")
    revision, preview = tasklist_import(plan=annex1, file_name="清单.csv", data=data)
    assert revision is None and preview.diff.is_empty


def test_the_annex_layout_has_title_header_merged_headings_and_merged_task_cells(annex1):
    sheet = exported_sheet(annex1)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A1"].value == "附件1"
    assert sheet["A2"].value == annex1.name and "A2:F2" in merged
    assert [c.value for c in sheet[3]] == [
        "重点任务",
        "关键举措",
        "牵头单位",
        "责任单位/地区",
        "2026-2027年（筑基期）",
        "2028-2030年（提升期）",
    ]
    part = row_of(sheet, "一、推进五业协同，实现传统产业升级与新兴产业突破")
    assert f"A{part}:F{part}" in merged
    sector = row_of(sheet, "（一）煤炭产业：稳量提质与绿色智能并进")
    assert sector == part + 1 and f"A{sector}:F{sector}" in merged
    task21 = row_of(sheet, "21.推动化工产业转型升级。")
    assert f"A{task21}:A{task21 + 3}" in merged
    task27 = row_of(sheet, "27.提升园区基础设施水平。")
    assert {f"A{task27}:A{task27 + 1}", f"C{task27}:C{task27 + 1}", f"D{task27}:D{task27 + 1}"} <= merged
    headings = [r for r in range(4, sheet.max_row + 1) if f"A{r}:F{r}" in merged]
    assert len(headings) == 3 + 15


def test_unit_cells_keep_the_plans_wording(annex1):
    sheet = exported_sheet(annex1)
    task1 = row_of(sheet, "1.推动煤炭资源稳定接续发展。")
    _, rows = read_rows()
    assert sheet.cell(task1, 4).value == "".join(line.strip() for line in rows[0].support.splitlines())


def test_the_annex_layout_is_print_ready(annex1):
    sheet = exported_sheet(annex1)
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$3:$3"  # the header on every printed page
    task1 = row_of(sheet, "1.推动煤炭资源稳定接续发展。")
    for cell in sheet[task1]:
        assert cell.alignment.wrap_text
    assert sheet.row_dimensions[task1].height > 100  # long texts: the row is as tall as its text


def test_text_that_looks_like_a_formula_is_exported_as_text(annex1):
    measure = Measure.objects.get(task__plan=annex1, task__number=2)
    measure.text = '=HYPERLINK("http://example.com","点此")'
    measure.save(update_fields=["text"])
    for fmt in ("distributed", "flat"):
        _, _, data = tasklist_export(plan=annex1, fmt=fmt)
        sheet = load_workbook(io.BytesIO(data)).active
        [cell] = [c for row in sheet.iter_rows() for c in row if c.value == measure.text]
        assert cell.data_type == "s" and cell.quotePrefix
    _, _, csv_data = tasklist_export(plan=annex1, fmt="csv")
    assert "'=HYPERLINK(" in csv_data.decode("utf-8-sig")


def test_an_earlier_revision_is_exported_as_it_stood(annex1):
    _, rows = annex_rows()
    row = task_row(rows, 1)
    row.cells[0] = "1.推动煤炭资源稳定接续发展（修订）。"
    revision, _ = tasklist_import(plan=annex1, file_name="修订稿.xlsx", data=build_xlsx(rows))
    assert revision.number == 2
    first = PlanRevision.objects.get(plan=annex1, number=1)
    name, _, data = tasklist_export(plan=annex1, revision=first, fmt="distributed")
    assert name.endswith("-第1版-附件原表.xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert row_of(sheet, "1.推动煤炭资源稳定接续发展。")
    # and the export of revision 1 imports back as exactly revision 1's list
    revision3, preview = tasklist_import(plan=annex1, file_name=name, data=data)
    assert preview.diff.count("changed") == 1 and revision3.number == 3
    assert current_tasklist(annex1).to_json() == first.snapshot


def test_unit_cells_fall_back_to_canonical_names_when_the_wording_no_longer_reads(annex1):
    tasklist = current_tasklist(annex1)
    measure = tasklist.task(1).measures[0]
    measure.support_text = "已改名的单位、" + measure.support_text
    data = write_distributed_xlsx(tasklist, title="清单", directory=UnitDirectory.load())
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.cell(row_of(sheet, "1.推动煤炭资源稳定接续发展。"), 4).value == "、".join(measure.support)
