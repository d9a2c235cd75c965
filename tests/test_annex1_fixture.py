"""The fixture is 附件1 verbatim: every cell is checked against the plan text in ../shared/seeds/."""

from __future__ import annotations

import pytest
from django.conf import settings
from openpyxl import load_workbook

from tests.support.plan_text import SEED, collapse_unit_cell, read_rows

HEADER = ["序号", "板块", "领域", "重点任务", "关键举措", "牵头单位", "责任单位/地区"]


@pytest.fixture(scope="module")
def plan_rows():
    assert SEED.exists(), f"找不到方案原文：{SEED}"
    return read_rows()


@pytest.fixture(scope="module")
def fixture_rows():
    sheet = load_workbook(settings.ANNEX1_FIXTURE).active
    return [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_the_plan_text_has_48_tasks_and_52_measures(plan_rows):
    _, rows = plan_rows
    assert len(rows) == 52
    assert sorted({row.task_number for row in rows}) == list(range(1, 49))
    assert [row.task_number for row in rows].count(21) == 4
    assert [row.task_number for row in rows].count(27) == 2


def test_the_header_is_the_flat_template_with_the_plans_phase_columns(plan_rows, fixture_rows):
    header, _ = plan_rows
    assert fixture_rows[0] == HEADER + header[4:]
    assert fixture_rows[0][7:] == ["2026-2027年（筑基期）", "2028-2030年（提升期）"]


def test_every_cell_of_the_fixture_is_the_plan_text(plan_rows, fixture_rows):
    _, rows = plan_rows
    data = fixture_rows[1:]
    assert len(data) == len(rows)
    for line, (cells, row) in enumerate(zip(data, rows, strict=True), start=2):
        expected = [
            row.task_number,
            row.part,
            row.sector,
            row.task_title,
            row.measure,
            collapse_unit_cell(row.lead),
            collapse_unit_cell(row.support),
            row.phase1,
            row.phase2,
        ]
        for column, (got, want) in enumerate(zip(cells, expected, strict=True)):
            assert got == want, (
                f"annex1.xlsx 第 {line} 行 {HEADER[column] if column < 7 else '阶段列'}：{got!r} != {want!r}"
            )


def test_task_titles_keep_the_plans_numbering(plan_rows):
    _, rows = plan_rows
    assert rows[0].task == "1.推动煤炭资源稳定接续发展。"
    assert f"{rows[0].task_number}.{rows[0].task_title}" == rows[0].task


def test_task_27s_second_measure_continues_the_first_measures_units(plan_rows):
    _, rows = plan_rows
    first, second = [row for row in rows if row.task_number == 27]
    assert second.lead == first.lead == "市工信局"
    assert second.support == first.support
    assert second.measure.startswith("2.强化安全环保")
