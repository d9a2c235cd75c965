"""The annex as distributed (XLSX and Word) is the plan text verbatim, merged cells where the original has them.

These files are what the distributed-layout reader is tested against, so they are
checked here with openpyxl and python-docx directly, never with the reader itself.
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.support.annex1_documents import DOCX_FIXTURE, TITLE, XLSX_FIXTURE, annex_rows, build_docx, build_xlsx
from tests.support.plan_text import read_rows

HEADER = ["重点任务", "关键举措", "牵头单位", "责任单位/地区", "2026-2027年（筑基期）", "2028-2030年（提升期）"]


@pytest.fixture(scope="module", params=["fixture", "built"])
def workbook_sheet(request):
    data = XLSX_FIXTURE.read_bytes() if request.param == "fixture" else build_xlsx()
    return load_workbook(io.BytesIO(data)).active


@pytest.fixture(scope="module", params=["fixture", "built"])
def word_table(request):
    data = DOCX_FIXTURE.read_bytes() if request.param == "fixture" else build_docx()
    return Document(io.BytesIO(data)).tables[0]


def merged_ranges(sheet) -> set[str]:
    return {str(r) for r in sheet.merged_cells.ranges}


def test_the_plan_text_gives_3_parts_15_sectors_48_tasks_and_52_measure_rows():
    header, rows = annex_rows()
    assert header == HEADER
    headings = [row.heading for row in rows if row.heading is not None]
    assert len([h for h in headings if h[1] == "、"]) == 3
    assert len([h for h in headings if h.startswith("（")]) == 15
    measures = [row for row in rows if row.heading is None]
    assert len(measures) == 52
    assert len([row for row in measures if row.cells[0]]) == 48


def test_the_workbook_has_the_title_above_the_header(workbook_sheet):
    assert workbook_sheet["A1"].value == "附件1"
    assert workbook_sheet["A2"].value == TITLE
    assert "A2:F2" in merged_ranges(workbook_sheet)
    assert [c.value for c in workbook_sheet[3]] == HEADER


def test_every_cell_of_the_workbook_is_the_plan_text(workbook_sheet):
    _, rows = annex_rows()
    merged = merged_ranges(workbook_sheet)
    _, plan_rows = read_rows()
    measures = iter(plan_rows)
    for number, row in enumerate(rows, start=4):
        values = [c.value for c in workbook_sheet[number]][:6]
        if row.heading is not None:
            assert values[0] == row.heading and f"A{number}:F{number}" in merged, number
            continue
        plan = next(measures)
        assert values[1] == plan.measure and values[4] == plan.phase1 and values[5] == plan.phase2
        if 0 in row.continues:
            assert values[0] is None
        else:
            assert values[0] == plan.task  # "1.推动煤炭资源稳定接续发展。", number inside the cell
        for column, plan_text in ((2, plan.lead), (3, plan.support)):
            if column in row.continues:
                assert values[column] is None  # task 27: merged with the row above
            else:
                assert (values[column] or "") == plan_text


def test_multi_measure_tasks_and_task_27s_units_are_merged_down(workbook_sheet):
    merged = merged_ranges(workbook_sheet)
    task21 = next(
        r
        for r in range(4, workbook_sheet.max_row + 1)
        if workbook_sheet.cell(r, 1).value == "21.推动化工产业转型升级。"
    )
    assert f"A{task21}:A{task21 + 3}" in merged
    task27 = next(
        r for r in range(4, workbook_sheet.max_row + 1) if str(workbook_sheet.cell(r, 1).value).startswith("27.")
    )
    assert {f"A{task27}:A{task27 + 1}", f"C{task27}:C{task27 + 1}", f"D{task27}:D{task27 + 1}"} <= merged


def test_the_word_table_holds_the_same_texts_with_merged_cells(word_table):
    _, rows = annex_rows()
    assert [c.text for c in word_table.rows[0].cells] == HEADER
    _, plan_rows = read_rows()
    measures = iter(plan_rows)
    for number, row in enumerate(rows, start=1):
        tr = word_table._tbl.tr_lst[number]
        if row.heading is not None:
            [tc] = tr.tc_lst
            assert tc.grid_span == 6
            assert "\n".join(p.text for p in word_table.rows[number].cells[0].paragraphs) == row.heading
            continue
        plan = next(measures)
        texts = ["\n".join(p.text for p in cell.paragraphs) for cell in word_table.rows[number].cells]
        assert texts[1] == plan.measure and texts[4] == plan.phase1 and texts[5] == plan.phase2
        merges = [tc.vMerge for tc in tr.tc_lst]
        for column in range(6):
            if column in row.continues:
                assert merges[column] == "continue", (number, column)
        if 0 not in row.continues:
            assert texts[0] == plan.task
        for column, plan_text in ((2, plan.lead), (3, plan.support)):
            if column not in row.continues:
                assert texts[column] == plan_text  # line breaks kept, one paragraph per line
