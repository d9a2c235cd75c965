"""Unit cells read the way people write them, against the real unit directory."""

from __future__ import annotations

import pytest

from tasks_app.models import Unit, UnitKind
from tasks_app.unit_names import UnitDirectory, guess_kind, split_unit_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(annex1) -> UnitDirectory:
    return UnitDirectory.load()


def names(directory: UnitDirectory, text: str) -> list[str]:
    result = directory.resolve(text)
    assert not result.unknown, [u.describe() for u in result.unknown]
    return result.names


def test_it_reads_the_issue_example(directory):
    assert names(directory, "市自然资源局、林草局，发展改革委、生态环境局，新左旗、牙克石市") == [
        "市自然资源局",
        "市林草局",
        "市发展改革委",
        "市生态环境局",
        "新巴尔虎左旗",
        "牙克石市",
    ]


def test_it_splits_on_every_separator_and_ignores_blanks_and_line_breaks(directory):
    assert split_unit_cell("市能源局、\n工信局，  发展改革委,生态环境局；水利局 　应急局、") == [
        "市能源局",
        "工信局",
        "发展改革委",
        "生态环境局",
        "水利局",
        "应急局",
    ]
    assert names(directory, "市投促中心、    各旗市区") == ["市投促中心", "各旗市区"]
    assert names(directory, "市教育局、人社局，") == ["市教育局", "市人社局"]


def test_short_forms_resolve_to_canonical_names(directory):
    assert names(directory, "新左旗、新右旗、陈旗、莫旗、鄂温克旗、鄂伦春旗、牙克石") == [
        "新巴尔虎左旗",
        "新巴尔虎右旗",
        "陈巴尔虎旗",
        "莫力达瓦达斡尔族自治旗",
        "鄂温克族自治旗",
        "鄂伦春自治旗",
        "牙克石市",
    ]
    assert names(directory, "市工信局、应急局") == ["市工信局", "市应急管理局"]


def test_a_name_that_only_looks_prefixed_is_read_under_the_run(directory):
    # 市场监管局 is 市 + 市场监管局, not 市 + 场监管局.
    assert names(directory, "市发展改革委、科技局、市场监管局") == ["市发展改革委", "市科技局", "市市场监管局"]


def test_the_prefix_run_survives_other_kinds_of_units(directory):
    assert names(directory, "市自然资源局、林草局，发展改革委、工信局、住建局，新左旗，市城投公司") == [
        "市自然资源局",
        "市林草局",
        "市发展改革委",
        "市工信局",
        "市住建局",
        "新巴尔虎左旗",
        "市城投公司",
    ]


def test_a_unit_written_twice_counts_once(directory):
    assert names(directory, "市能源局、能源局") == ["市能源局"]


def test_collectives_stand_for_their_members(directory):
    all_divisions = Unit.objects.get(name="各旗市区")
    assert all_divisions.kind == UnitKind.COLLECTIVE
    assert all_divisions.members.count() == 14
    assert set(all_divisions.members.values_list("kind", flat=True)) == {UnitKind.DIVISION}
    assert names(directory, "相关旗市区、有关旗市区、各口岸旗市区、各行业主管部门、各产业链牵头单位、域内高校") == [
        "相关旗市区",
        "各口岸旗市区",
        "各行业主管部门",
        "各产业链牵头单位",
        "域内高校",
    ]


def test_an_unknown_name_is_reported_with_the_nearest_known_units(directory):
    result = directory.resolve("市能源局、林业局")
    assert result.names == ["市能源局"]
    [unknown] = result.unknown
    assert unknown.written == "林业局"
    assert unknown.tried == ("林业局", "市林业局")
    assert "市林草局" in unknown.suggestions
    assert "未知单位“林业局”" in unknown.describe()
    assert "市林草局" in unknown.describe()


def test_an_unknown_name_is_never_guessed(directory):
    result = directory.resolve("呼伦贝尔火星开发局")
    assert result.units == []
    assert result.unknown[0].written == "呼伦贝尔火星开发局"


def test_with_create_missing_a_foreign_list_keeps_its_own_prefix_run(directory):
    result = directory.resolve("自治区农牧厅、财政厅，工信厅", create_missing=True)
    assert result.unknown == []
    assert [unit.name for unit in result.created] == ["自治区农牧厅", "自治区财政厅", "自治区工信厅"]
    assert all(unit.pk is None and unit.needs_review for unit in result.created)
    assert not Unit.objects.filter(name__startswith="自治区").exists()  # nothing written while reading
    directory.save_created()
    assert Unit.objects.filter(name__startswith="自治区", needs_review=True).count() == 3


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("自治区财政厅", UnitKind.CITY_DEPARTMENT),
        ("各盟市", UnitKind.COLLECTIVE),
        ("包钢集团", UnitKind.ENTERPRISE),
        ("二连浩特海关", UnitKind.VERTICAL),
        ("锡林郭勒盟委组织部", UnitKind.PARTY_ORGAN),
        ("鄂尔多斯高新区", UnitKind.DEV_ZONE),
        ("东胜区", UnitKind.DIVISION),
        ("二连浩特市", UnitKind.DIVISION),
        ("市大数据局", UnitKind.CITY_DEPARTMENT),
    ],
)
def test_the_kind_of_a_new_unit_is_guessed_from_its_name(name, kind):
    assert guess_kind(name) == kind


def test_every_unit_cell_of_annex1_resolves(directory):
    from tests.support.plan_text import read_rows

    _, rows = read_rows()
    for row in rows:
        for cell in (row.lead, row.support):
            assert not directory.resolve(cell).unknown, cell
