"""附件1 in the database: 48 tasks, 52 measures, every unit resolved, texts verbatim."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tasks_app.models import Measure, MeasureUnit, Part, PhaseTarget, PlanRevision, Sector, Task
from tasks_app.services.plans import tasklist_import
from tasks_app.tasklist.apply import current_tasklist
from tasks_app.tasklist.export import write_flat_csv, write_flat_xlsx
from tasks_app.tasklist.reader import read_tasklist
from tasks_app.unit_names import split_unit_cell
from tests.support.plan_text import read_rows

pytestmark = pytest.mark.django_db


def test_it_holds_48_tasks_in_3_parts_and_15_sectors(annex1):
    assert Task.objects.filter(plan=annex1).count() == 48
    assert Measure.objects.filter(task__plan=annex1).count() == 52
    assert list(Part.objects.filter(plan=annex1).values_list("heading", flat=True)) == [
        "一、推进五业协同，实现传统产业升级与新兴产业突破",
        "二、强化四维赋能，为工业转型升级提供有力支撑",
        "三、保障措施",
    ]
    sectors = Sector.objects.filter(part__plan=annex1)
    assert sectors.count() == 15
    assert [s.short_name for s in sectors.filter(part__ordinal=1)] == [
        "煤炭产业",
        "电力产业",
        "新能源产业",
        "有色金属产业",
        "制造业",
    ]
    assert [s.short_name for s in sectors.filter(part__ordinal=2)] == [
        "政策维度赋能",
        "平台维度赋能",
        "机制维度赋能",
        "科技维度赋能",
    ]
    assert Task.objects.filter(sector__part__ordinal=1).count() == 21
    assert Task.objects.filter(sector__part__ordinal=2).count() == 12
    assert Task.objects.filter(sector__part__ordinal=3).count() == 15


def test_multi_measure_tasks_keep_their_measures_in_order(annex1):
    task21 = Task.objects.get(plan=annex1, number=21)
    assert [m.code for m in task21.measures.all()] == ["21-1", "21-2", "21-3", "21-4"]
    assert task21.measures.get(position=4).text.startswith("4.培育壮大精细化工产业。")
    task27 = Task.objects.get(plan=annex1, number=27)
    first, second = task27.measures.all()
    assert [u.name for u in second.support_units()] == [u.name for u in first.support_units()]
    assert [u.name for u in second.lead_units()] == ["市工信局"]
    assert Measure.objects.get(task__number=5).code == "5"


def test_every_measure_has_resolved_lead_units_in_the_order_written(annex1):
    for measure in Measure.objects.filter(task__plan=annex1):
        assert measure.lead_units(), measure
    task10 = Measure.objects.get(task__number=10)
    assert [u.name for u in task10.lead_units()] == ["市能源局", "市工信局"]
    task34 = Measure.objects.get(task__number=34)
    assert [u.name for u in task34.lead_units()] == ["市委办公室", "市政府办公室"]
    task46 = Measure.objects.get(task__number=46)
    assert [u.name for u in task46.lead_units()] == ["各旗市区"]
    assert task46.lead_units_text == "各旗市区人民"  # the cell as written is kept


def test_tasks_45_and_46_have_no_supporting_units(annex1):
    for number in (45, 46):
        measure = Measure.objects.get(task__number=number)
        assert measure.support_units() == []
        assert measure.support_units_text == ""


def test_supporting_units_resolve_to_canonical_units(annex1):
    measure = Measure.objects.get(task__number=1)
    assert [u.name for u in measure.support_units()] == [
        "市自然资源局",
        "市林草局",
        "市发展改革委",
        "市生态环境局",
        "市水利局",
        "市应急管理局",
        "新巴尔虎左旗",
        "新巴尔虎右旗",
        "鄂温克族自治旗",
        "牙克石市",
        "陈巴尔虎旗",
    ]
    # One link per name written in 附件1's unit cells: 65 lead and 271 supporting names.
    _, rows = read_rows()
    links = MeasureUnit.objects.filter(measure__task__plan=annex1)
    assert links.filter(role="lead").count() == sum(len(split_unit_cell(r.lead)) for r in rows) == 65
    assert links.filter(role="support").count() == sum(len(split_unit_cell(r.support)) for r in rows) == 271


def test_texts_in_the_database_are_the_plan_text_verbatim(annex1):
    _, rows = read_rows()
    measures = list(
        Measure.objects.filter(task__plan=annex1).select_related("task").order_by("task__number", "position")
    )
    assert len(measures) == len(rows)
    for measure, row in zip(measures, rows, strict=True):
        assert measure.task.number == row.task_number
        assert measure.task.title == row.task_title
        assert measure.text == row.measure
        targets = {t.phase.name: t.text for t in measure.targets.select_related("phase")}
        assert targets == {"筑基期": row.phase1, "提升期": row.phase2}


def test_phases_have_their_names_and_date_ranges(annex1):
    first, second = annex1.phases.all()
    assert (first.name, str(first.start_date), str(first.end_date)) == ("筑基期", "2026-01-01", "2027-12-31")
    assert (second.name, str(second.start_date), str(second.end_date)) == ("提升期", "2028-01-01", "2030-12-31")
    assert (str(annex1.start_date), str(annex1.end_date)) == ("2026-01-01", "2030-12-31")


def test_numbered_target_items_are_also_available_split(annex1):
    task1 = PhaseTarget.objects.get(measure__task__number=1, phase__name="筑基期")
    assert len(task1.items) == 2
    assert task1.items[0].startswith("1.推动西乌日图")
    assert task1.items[1].startswith("2.推动牙克石五九煤炭集团")
    task8 = PhaseTarget.objects.get(measure__task__number=8, phase__name="筑基期")
    assert [item[:2] for item in task8.items] == ["一是", "二是", "三是"]
    task16 = PhaseTarget.objects.get(measure__task__number=16, phase__name="筑基期")
    assert len(task16.items) == 3
    single = PhaseTarget.objects.get(measure__task__number=2, phase__name="筑基期")
    assert single.items == [single.text]
    assert "".join(task1.items).replace("\n", "") == task1.text.replace("\n", "")


def test_the_first_import_is_revision_1_with_its_file_and_checksum(annex1, settings):
    revision = PlanRevision.objects.get(plan=annex1)
    assert revision.number == 1
    assert revision.source_name == "annex1.xlsx"
    import hashlib

    assert revision.source_sha256 == hashlib.sha256(settings.ANNEX1_FIXTURE.read_bytes()).hexdigest()
    assert revision.snapshot["tasks"][0]["title"] == "推动煤炭资源稳定接续发展。"
    assert revision.diff["counts"]["tasks"]["added"] == 48


def test_reimporting_the_same_file_changes_nothing(annex1, settings):
    revision, preview = tasklist_import(plan=annex1, file_name="annex1.xlsx", data=settings.ANNEX1_FIXTURE.read_bytes())
    assert revision is None
    assert preview.diff.is_empty
    assert "没有任何变化" in preview.diff.summary()
    assert PlanRevision.objects.filter(plan=annex1).count() == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_is_a_no_op(annex1, fmt):
    tasklist = current_tasklist(annex1)
    data = write_flat_xlsx(tasklist) if fmt == "xlsx" else write_flat_csv(tasklist)
    revision, preview = tasklist_import(plan=annex1, file_name=f"export.{fmt}", data=data)
    assert preview.read.errors == []
    assert revision is None and preview.diff.is_empty


def test_the_export_reproduces_the_plan_texts_with_canonical_unit_names(annex1):
    sheet = load_workbook(io.BytesIO(write_flat_xlsx(current_tasklist(annex1)))).active
    rows = list(sheet.iter_rows(values_only=True))
    _, plan_rows = read_rows()
    assert rows[0] == (
        "序号",
        "板块",
        "领域",
        "重点任务",
        "关键举措",
        "牵头单位",
        "责任单位/地区",
        "2026-2027年（筑基期）",
        "2028-2030年（提升期）",
    )
    for exported, row in zip(rows[1:], plan_rows, strict=True):
        number, part, sector, title, measure, _lead, _support, phase1, phase2 = exported
        assert (number, part, sector, title, measure) == (
            row.task_number,
            row.part,
            row.sector,
            row.task_title,
            row.measure,
        )
        assert ((phase1 or ""), (phase2 or "")) == (row.phase1, row.phase2)
    task9 = rows[9]
    assert task9[0] == 9
    expected = "市工信局、市自然资源局、市林草局、阿荣旗、扎兰屯市、"
    expected += "莫力达瓦达斡尔族自治旗、鄂温克族自治旗、陈巴尔虎旗、新巴尔虎左旗"
    assert task9[6] == expected


def test_the_csv_export_reads_back_in_gb18030_too(annex1):
    data = write_flat_csv(current_tasklist(annex1), encoding="gb18030")
    result = read_tasklist("清单.csv", data)
    assert result.ok, result.errors
    assert result.tasklist.task(48).title == "健全人才培养体系。"
