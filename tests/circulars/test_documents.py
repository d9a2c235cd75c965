"""A circular leaves as documents: the PDF reads as Chinese, the DOCX opens in LibreOffice with an East
Asian font on every run, the annual summary scores every unit, and the command line writes them all."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from notifications.circulars.services import circular_issue
from tests.circulars.conftest import compile_scope
from tests.circulars.test_docx import NS, W, east_asian_font, paragraph_texts, xml_parts
from tests.conftest import client_for
from tests.support.office import convert_to_pdf, pdf_fonts, pdf_glyph_shapes, pdf_page_sizes, pdf_text, require_office
from tests.support.reporting import file_report, lead_report

pytestmark = pytest.mark.django_db
D = dt.date
TITLE = "关于2026年第三季度重点任务推进情况的通报"
A4 = (210, 297)  # millimetres


@pytest.fixture
def issued(q3, office):
    draft = compile_scope(q3.plan, 2026, 3, q3.compiled_on)
    return circular_issue(circular=draft, user=office, issued_on=D(2026, 10, 16))


def download(client, circular, fmt: str) -> bytes:
    response = client.get(reverse("circular-download", args=[circular.pk, fmt]))
    assert response.status_code == 200, response.status_code
    return response.content


def test_the_pdf_shows_chinese_text_not_boxes_on_a4(issued, energy_reporter, client, tmp_path):
    require_office()
    pdf = tmp_path / "circular.pdf"
    pdf.write_bytes(download(client_for(client, energy_reporter), issued, "pdf"))
    text = "".join(pdf_text(pdf).split())  # a long title wraps over two lines
    assert TITLE in text and "呼督通〔2026〕1号" in text
    assert "按照未报送1项及以上，或逾期报送1项及以上的单位予以点名通报的规定" in text
    assert "市工信局（未报送" in text and "附件1" in text and "重点任务推进情况一览表" in text
    assert pdf_fonts(pdf)  # embedded fonts, with Unicode maps: the text above was extracted from them
    assert pdf_glyph_shapes(pdf) > 300  # hundreds of different glyphs drawn: Chinese characters, not boxes
    sizes = {(round(w / 72 * 25.4), round(h / 72 * 25.4)) for w, h in pdf_page_sizes(pdf)}
    assert sizes == {A4, A4[::-1]}  # the annex table is on landscape pages


def test_the_docx_opens_in_libreoffice_and_every_run_has_an_east_asian_font(issued, leader, client, tmp_path):
    require_office()
    data = download(client_for(client, leader), issued, "docx")
    runs = [run for part in xml_parts(data).values() for run in part.iter(f"{W}r")]
    assert runs and all(east_asian_font(run) for run in runs)
    texts = paragraph_texts(data)
    assert TITLE in texts and "呼督通〔2026〕1号" in texts and "2026年10月16日" in texts
    docx = tmp_path / "circular.docx"
    docx.write_bytes(data)
    printed = "".join(pdf_text(convert_to_pdf(docx, tmp_path)).split())
    assert TITLE in printed and "市工信局" in printed
    assert xml_parts(data, r"word/document\.xml")["word/document.xml"].find(".//w:sectPr", NS) is not None


def test_an_issued_circular_is_downloaded_as_the_same_bytes_every_time(issued, energy_reporter, client):
    from notifications.circulars.tasks import render_circular

    assert render_circular(issued.pk) == ["docx", "pdf"]  # the job after issuing keeps them
    assert render_circular(issued.pk) == []  # and a second run keeps nothing twice
    client_for(client, energy_reporter)
    assert download(client, issued, "docx") == download(client, issued, "docx")
    assert download(client, issued, "pdf") == download(client, issued, "pdf")


@pytest.fixture
def year_2026(q3):
    """Every quarter of 2026 and the year's own 年总结 period, with a few consolidated reports."""
    from tasks_app.services.cadence import cadence_for
    from tasks_app.services.periods import period_open

    quarterly, annual = cadence_for(q3.plan, "quarterly"), cadence_for(q3.plan, "annual")
    quarters = {q: period_open(cadence=quarterly, day=D(2026, q * 3 - 2, 1)).period for q in (1, 2, 4)}
    year = period_open(cadence=annual, day=D(2026, 1, 1)).period
    file_report(lead_report(quarters[1], "3"), status="not_started", progress="勘查方案编制。")
    file_report(lead_report(quarters[4], "3"), status="done", progress="全年任务完成。")
    file_report(lead_report(year, "3"), status="done", progress="全年完成煤炭资源勘查任务。")
    file_report(lead_report(year, "6"), status="behind", problems="储能项目用地预审未通过。", on=D(2027, 1, 20))
    return year


def test_the_annual_summary_compares_the_quarters_and_scores_every_unit(
    q3, year_2026, office, leader, energy_reporter, client
):
    summary = compile_scope(q3.plan, 2026, 0, D(2027, 1, 25), kind="annual")
    data = summary.snapshot
    assert summary.title == "关于2026年度重点任务推进情况的总结"
    assert [q["label"] for q in data["quarters"]] == [f"2026年第{n}季度" for n in "一二三四"]
    assert [q["states"]["done"] for q in data["quarters"]] == [0, 0, 1, 1]
    assert data["state_period"]["label"] == "2026年度 年总结"
    assert {s["name"] for s in data["scores"]} == {u["name"] for u in data["discipline"]["units"]}

    energy = next(s for s in data["scores"] if s["name"] == "市能源局")
    unit = next(u for u in data["discipline"]["units"] if u["name"] == "市能源局")
    # 60 × on-time rate + 20 × (1 − returned rate) + 20 × share of its led measures done or on track.
    expected = (60 * energy["on_time_rate"] + 20 * (1 - energy["returned_rate"]) + 20 * energy["targets_rate"]) / 100
    assert energy["score"] == round(100 * expected, 1)
    assert energy["on_time_rate"] == round(unit["on_time"] / (unit["total"] - unit["pending"]), 4)

    issued = circular_issue(circular=summary, user=office, issued_on=D(2027, 1, 26))
    assert issued.number == "呼督通〔2027〕1号"
    book = openpyxl.load_workbook(io.BytesIO(download(client_for(client, leader), issued, "xlsx")))
    assert book.sheetnames == ["考核评分", "评分规则"]
    rows = list(book["考核评分"].iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(data["scores"]) and rows[0][0] == 1
    by_name = {row[1]: row for row in rows}
    assert by_name["市能源局"][11] == energy["score"]
    client_for(client, energy_reporter)
    assert client.get(reverse("circular-download", args=[issued.pk, "xlsx"])).status_code == 404  # every unit's score
    assert client.get(reverse("circular-download", args=[issued.pk, "pdf"])).status_code == 200


def test_the_command_compiles_a_quarter_and_writes_each_format(q3, tmp_path, capsys):
    for fmt in ("html", "docx", "pdf"):
        out = tmp_path / f"c.{fmt}"
        call_command("compile_circular", quarter="2026Q3", today="2026-10-15", format=fmt, output=str(out))
        assert out.stat().st_size > 1000
    printed = capsys.readouterr().out
    assert "关于2026年第三季度重点任务推进情况的通报（草稿第1版" in printed and "点名通报：" in printed
    assert TITLE in (tmp_path / "c.html").read_text(encoding="utf-8")
    assert (tmp_path / "c.docx").read_bytes()[:2] == b"PK" and (tmp_path / "c.pdf").read_bytes()[:4] == b"%PDF"
    with pytest.raises(CommandError, match="应写作“2026Q4”"):
        call_command("compile_circular", quarter="2026Q5")
    with pytest.raises(CommandError, match="不在方案"):
        call_command("compile_circular", year=2035)
