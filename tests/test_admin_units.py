"""The unit directory in the admin: export as XLSX/CSV, import with preview and confirm, all or nothing."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tasks_app.models import ImportJob, Role, Unit, UnitAlias, User

pytestmark = pytest.mark.django_db

HEADER = ["规范名称", "类别", "别名", "成员单位", "待审核", "排序", "备注"]
XLSX, CSV = "0", "1"


@pytest.fixture
def wang_client(client, annex1):
    wang = User.objects.create_user("wang", password="x", role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(wang)
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def export(client, fmt: str) -> bytes:
    response = client.post(
        reverse("admin:tasks_app_unit_export"),
        {"format": fmt, "resource": "0"}
        | {
            f"unitresource_{name}": "on"
            for name in ("name", "kind", "aliases", "members", "needs_review", "sort_order", "note")
        },
    )
    assert response.status_code == 200, text_of(response)[:500]
    return response.content


def units_csv(rows: list[list[str]], encoding: str = "gb18030") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode(encoding)


def import_units(client, data: bytes, name: str, fmt: str):
    return client.post(
        reverse("admin:tasks_app_unit_import"),
        {"import_file": SimpleUploadedFile(name, data), "format": fmt, "resource": "0"},
    )


def confirm(client, response, name: str, fmt: str):
    token = ImportJob.objects.filter(kind="units").latest("created_at").token
    return client.post(
        reverse("admin:tasks_app_unit_process_import"),
        {"import_file_name": token, "original_file_name": name, "format": fmt, "resource": "0"},
    )


def test_the_directory_exports_as_xlsx_with_aliases_members_and_formula_text_kept(wang_client):
    Unit.objects.filter(name="市能源局").update(note='=HYPERLINK("http://example.com","官网")')
    sheet = load_workbook(io.BytesIO(export(wang_client, XLSX))).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert [c.value for c in sheet[1]] == HEADER
    assert rows["新巴尔虎左旗"][2].value == "新左旗"
    assert rows["各旗市区"][1].value == "集合（代指一组单位）"
    assert "海拉尔区" in rows["各旗市区"][3].value.split("、")
    note = rows["市能源局"][6]
    assert note.value.startswith("=HYPERLINK") and note.data_type == "s" and note.quotePrefix


def test_the_directory_exports_as_csv_that_reads_back_unchanged(wang_client):
    data = export(wang_client, CSV)
    assert data.startswith("\ufeff".encode())
    response = import_units(wang_client, data, "单位目录.csv", CSV)
    assert response.status_code == 200
    before = Unit.objects.count(), UnitAlias.objects.count()
    confirm(wang_client, response, "单位目录.csv", CSV)
    assert (Unit.objects.count(), UnitAlias.objects.count()) == before


def test_units_import_from_a_gb18030_csv_after_a_preview(wang_client):
    data = units_csv([["市数据局", "市直部门", "数据局、呼伦贝尔市数据局", "", "否", "120", "2026年机构改革新设"]])
    response = import_units(wang_client, data, "新增单位.csv", CSV)
    page = text_of(response)
    assert "市数据局" in page and not Unit.objects.filter(name="市数据局").exists()
    assert 'name="confirm"' in response.content.decode()
    response = confirm(wang_client, response, "新增单位.csv", CSV)
    assert response.status_code == 302
    unit = Unit.objects.get(name="市数据局")
    assert unit.kind == "city_department" and unit.note == "2026年机构改革新设"
    assert sorted(unit.aliases.values_list("name", flat=True)) == ["呼伦贝尔市数据局", "数据局"]
    assert not ImportJob.objects.filter(kind="units").exists(), "the upload is removed once imported"


def test_a_units_file_with_a_bad_row_writes_nothing_even_when_confirmed(wang_client):
    data = units_csv(
        [
            ["市数据局", "市直部门", "", "", "否", "120", ""],
            ["市火星局", "外星机构", "", "", "否", "121", ""],
            ["各口岸旗市区", "集合（代指一组单位）", "", "满洲里市、二连浩特市", "否", "5", ""],
        ]
    )
    response = import_units(wang_client, data, "新增单位.csv", CSV)
    page = text_of(response)
    assert "类别“外星机构”无效" in page and "单位目录中没有：二连浩特市" in page
    assert 'name="confirm"' not in response.content.decode()
    # The library would commit the valid rows at confirm and skip the others: it must not.
    response = confirm(wang_client, response, "新增单位.csv", CSV)
    assert not Unit.objects.filter(name__in=["市数据局", "市火星局"]).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("单位目录导入失败，未写入任何内容" in m for m in messages)


def test_a_units_workbook_may_start_with_an_instructions_sheet(wang_client):
    from tests.support.files import xlsx_bytes

    data = xlsx_bytes(
        [HEADER, ["市数据局", "city_department", "", "", "是", "120", ""]],
        title="单位",
        first={"说明": [["请在“单位”工作表中填写。"]]},
    )
    response = import_units(wang_client, data, "单位.xlsx", XLSX)
    confirm(wang_client, response, "单位.xlsx", XLSX)
    assert Unit.objects.get(name="市数据局").needs_review


def test_an_expired_upload_is_said_so(wang_client):
    response = wang_client.post(
        reverse("admin:tasks_app_unit_process_import"),
        {"import_file_name": "0" * 32, "original_file_name": "x.csv", "format": CSV, "resource": "0"},
        follow=True,
    )
    assert "上传的文件已过期或已导入，请重新上传" in text_of(response)


def test_an_alias_that_already_names_another_unit_is_a_row_error(wang_client):
    data = units_csv([["市数据局", "市直部门", "市政务服务与数据管理局", "", "否", "120", ""]])
    page = text_of(import_units(wang_client, data, "新增单位.csv", CSV))
    assert "别名“市政务服务与数据管理局”已属于单位“市政数局”" in page
    assert not Unit.objects.filter(name="市数据局").exists()


def zip_bomb_workbook() -> bytes:
    """A real workbook whose sheet inflates to 300 MB (trailing blanks after its XML): under 1 MB on disk."""
    from tests.support.files import xlsx_bytes

    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([HEADER])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part += b" " * (300 * 1024 * 1024)
            archive.writestr(info.filename, part)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "fmt", "expected"),
    [
        ("单位.xlsx", b"MZ\x90\x00" + bytes(range(256)) * 8, XLSX, "未导入：无法识别的文件"),  # a program renamed
        ("单位.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, CSV, "未导入：无法识别的文件"),
        ("单位.xlsx", b"PK\x03\x04this is not really a zip", XLSX, "未导入：文件已损坏"),
        ("单位.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, XLSX, "另存为 .xlsx"),
        ("单位.csv", b"  \r\n", CSV, "未导入：文件是空的"),
        ("单位.xlsx", "zip", XLSX, "未导入：这是一个压缩包，但不是 Excel（.xlsx）文件"),
        ("单位.xlsx", "bomb", XLSX, "疑似压缩炸弹"),
    ],
)
def test_a_units_file_is_checked_by_its_content_and_refused_in_chinese(wang_client, name, data, fmt, expected):
    if data == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "单位目录")
        data = buffer.getvalue()
    elif data == "bomb":
        data = zip_bomb_workbook()
        assert len(data) < 1024 * 1024
    before = Unit.objects.count()
    response = import_units(wang_client, data, name, fmt)
    page = text_of(response)
    assert response.status_code == 200 and expected in page, page[-600:]
    assert "encountered while trying to read file" not in page
    assert 'name="confirm"' not in response.content.decode()
    assert Unit.objects.count() == before


def test_a_units_file_is_read_by_its_content_whichever_format_is_chosen(wang_client):
    data = units_csv([["市数据局", "市直部门", "", "", "否", "120", ""]])
    response = import_units(wang_client, data, "新增单位.csv", XLSX)  # CSV text, "xlsx" chosen
    assert "市数据局" in text_of(response) and 'name="confirm"' in response.content.decode()
