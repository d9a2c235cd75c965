"""The DOCX of an official document (公文): fonts, pages, order, numbering, LibreOffice, speed.

Every check opens the bytes render_docx produced, with python-docx or by reading the XML parts
of the zip, the way Word and WPS will read them.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from lxml import etree

from notifications.circulars.document import Annex, Heading, OfficialDocument, Paragraph, Table
from notifications.circulars.docx import render_docx
from tests.support.office import convert_to_pdf, pdf_fonts, pdf_page_sizes, pdf_text, require_office
from tests.support.official_documents import (
    ADDRESSEES,
    DATE_TEXT,
    HEADINGS,
    ISSUER,
    LEDGER_HEADER,
    NUMBER,
    TITLE,
    ledger_rows,
    sample_document,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}
W = f"{{{W_NS}}}"
PORTRAIT_TEXT_WIDTH = round((210 - 28 - 26) * 1440 / 25.4)  # twips
LANDSCAPE_TEXT_WIDTH = round((297 - 35 - 37) * 1440 / 25.4)


@pytest.fixture(scope="module")
def circular() -> bytes:
    return render_docx(sample_document())


def xml_parts(data: bytes, pattern: str = r"word/(document|header\d*|footer\d*)\.xml") -> dict[str, etree._Element]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: etree.fromstring(package.read(name)) for name in package.namelist() if re.fullmatch(pattern, name)
        }


def paragraph_texts(data: bytes) -> list[str]:
    """Every paragraph of the main document in order, table cells included."""
    body = xml_parts(data, r"word/document\.xml")["word/document.xml"]
    return ["".join(p.itertext()) for p in body.iter(f"{W}p")]


def position(texts: list[str], text: str) -> int:
    return next(index for index, found in enumerate(texts) if found == text)


def east_asian_font(element: etree._Element) -> str | None:
    fonts = element.find("w:rPr/w:rFonts", NS)
    return None if fonts is None else fonts.get(f"{W}eastAsia")


def test_it_sets_an_east_asian_font_on_every_run_of_the_body_headers_and_footers(circular):
    draft = render_docx(sample_document(draft=True))
    for data in (circular, draft):
        parts = xml_parts(data)
        assert any(name.startswith("word/footer") for name in parts)
        for name, root in parts.items():
            runs = root.findall(".//w:r", NS)
            assert runs, f"{name} has no runs"
            missing = [etree.tostring(r, encoding="unicode")[:200] for r in runs if not east_asian_font(r)]
            assert not missing, f"{name}: runs without w:eastAsia: {missing[:3]}"
    assert any(name.startswith("word/header") for name in xml_parts(draft))


def test_its_defaults_and_styles_are_chinese(circular):
    styles = xml_parts(circular, r"word/styles\.xml")["word/styles.xml"]
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:lang", NS).get(f"{W}eastAsia") == "zh-CN"
    assert defaults.find("w:rFonts", NS).get(f"{W}eastAsia") == "仿宋_GB2312"
    for style in styles.findall("w:style", NS):
        fonts = style.find("w:rPr/w:rFonts", NS)
        if style.get(f"{W}type") == "paragraph":
            assert fonts is not None and fonts.get(f"{W}eastAsia"), style.get(f"{W}styleId")
    # A theme font attribute would override every explicit font name in Word.
    assert not [attr for el in styles.iter() for attr in el.attrib if attr.endswith("Theme") or attr.endswith("theme")]
    settings = xml_parts(circular, r"word/settings\.xml")["word/settings.xml"]
    assert settings.find("w:themeFontLang", NS).get(f"{W}eastAsia") == "zh-CN"
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    with zipfile.ZipFile(io.BytesIO(circular)) as package:
        names = package.namelist()
        assert "ＭＳ 明朝" not in package.read("word/fontTable.xml").decode()
    assert "docProps/thumbnail.jpeg" not in names and "word/stylesWithEffects.xml" not in names


def test_its_parts_have_the_fonts_and_sizes_of_a_gongwen(circular):
    body = xml_parts(circular, r"word/document\.xml")["word/document.xml"]

    def first_run(text: str) -> etree._Element:
        return next(r for r in body.iter(f"{W}r") if "".join(r.itertext()) == text)

    def looks(text: str) -> tuple[str | None, str, bool, str | None]:
        """(East Asian font, size in half points, bold, colour) of the run showing ``text``."""
        props = first_run(text).find("w:rPr", NS)
        color = props.find("w:color", NS)
        return (
            props.find("w:rFonts", NS).get(f"{W}eastAsia"),
            props.find("w:sz", NS).get(f"{W}val"),
            props.find("w:b", NS) is not None,
            None if color is None else color.get(f"{W}val"),
        )

    assert looks(ISSUER)[0] == "方正小标宋简体" and looks(ISSUER)[3] == "FF0000"
    assert int(looks(ISSUER)[1]) >= 44  # larger than the title
    assert looks(NUMBER) == ("仿宋_GB2312", "32", False, None)
    assert looks(TITLE) == ("方正小标宋简体", "44", False, None)
    assert looks(ADDRESSEES) == ("仿宋_GB2312", "32", False, None)
    assert looks(HEADINGS[0]) == ("黑体", "32", False, None)
    assert looks(HEADINGS[1]) == ("楷体_GB2312", "32", False, None)
    assert looks(HEADINGS[2]) == ("仿宋_GB2312", "32", True, None)
    assert looks("总体看，") == ("仿宋_GB2312", "32", True, None)  # Paragraph.lead

    # The red rule under the number; body paragraphs indented two characters on 28.95 pt lines.
    number_paragraph = first_run(NUMBER).getparent()
    assert number_paragraph.find("w:pPr/w:pBdr/w:bottom", NS).get(f"{W}color") == "FF0000"
    lead_paragraph = first_run("总体看，").getparent()
    body_style = lead_paragraph.find("w:pPr/w:pStyle", NS).get(f"{W}val")
    styles = xml_parts(circular, r"word/styles\.xml")["word/styles.xml"]
    style = styles.find(f"w:style[@w:styleId='{body_style}']", NS)
    assert style.find("w:pPr/w:ind", NS).get(f"{W}firstLineChars") == "200"
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    spacing = normal.find("w:pPr/w:spacing", NS)
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("579", "exact")


def test_its_pages_are_a4_with_the_wide_annex_on_landscape(circular):
    sections = Document(io.BytesIO(circular)).sections
    shapes = [(s.orientation, round(s.page_width.mm), round(s.page_height.mm)) for s in sections]
    # body and signature · 附件1 (landscape ledger) · 附件2 back on portrait
    assert shapes == [
        (WD_ORIENT.PORTRAIT, 210, 297),
        (WD_ORIENT.LANDSCAPE, 297, 210),
        (WD_ORIENT.PORTRAIT, 210, 297),
    ]
    first = sections[0]
    margins = [round(m.mm) for m in (first.top_margin, first.bottom_margin, first.left_margin, first.right_margin)]
    assert margins == [37, 35, 28, 26]
    assert all(abs(s.footer_distance - Mm(22)) < Mm(1) for s in sections)


def test_its_texts_come_in_the_order_of_a_gongwen(circular):
    texts = paragraph_texts(circular)
    order = [
        ISSUER,
        NUMBER,
        TITLE,
        ADDRESSEES,
        *HEADINGS,
        "附件：1.重点任务推进情况台账",
        "2.逾期未报送单位名单",
        ISSUER,
        DATE_TEXT,
        "附件1",
        "重点任务推进情况台账",
        LEDGER_HEADER[0],
        "附件2",
        "逾期未报送单位名单",
    ]
    positions, start = [], 0
    for text in order:
        start = position(texts[start:], text) + start
        positions.append(start)
        start += 1
    assert positions == sorted(positions)
    # The signature follows a blank line; 附件2 starts a new page.
    signature = positions[order.index(DATE_TEXT)] - 1
    assert texts[signature - 1] == ""
    body = xml_parts(circular, r"word/document\.xml")["word/document.xml"]
    annex2 = next(p for p in body.iter(f"{W}p") if "".join(p.itertext()) == "附件2")
    previous = annex2.getprevious()
    assert previous.find("w:pPr/w:sectPr", NS) is not None or annex2.find("w:pPr/w:pageBreakBefore", NS) is not None


def test_its_footers_number_the_pages_with_a_page_field(circular):
    footers = xml_parts(circular, r"word/footer\d*\.xml")
    assert len(footers) == 2  # odd pages right, even pages left
    alignments = set()
    for root in footers.values():
        instructions = "".join(t.text for t in root.iter(f"{W}instrText"))
        assert instructions.strip() == "PAGE"
        text = "".join(root.itertext())
        assert text.startswith("— ") and text.endswith(" —")
        alignments.add(root.find(".//w:jc", NS).get(f"{W}val"))
        assert {east_asian_font(r) for r in root.iter(f"{W}r")} == {"宋体"}
        assert {r.find("w:rPr/w:sz", NS).get(f"{W}val") for r in root.iter(f"{W}r")} == {"28"}
    assert alignments == {"left", "right"}


def test_its_tables_repeat_their_header_and_fill_the_text_width(circular):
    body = xml_parts(circular, r"word/document\.xml")["word/document.xml"]
    tables = body.findall(".//w:tbl", NS)
    assert len(tables) == 2
    for table, text_width, relative in (
        (tables[0], PORTRAIT_TEXT_WIDTH, [1, 4, 2, 2, 2, 2]),
        (tables[1], LANDSCAPE_TEXT_WIDTH, [3, 8, 3, 4, 6, 6]),
    ):
        columns = [int(col.get(f"{W}w")) for col in table.findall("w:tblGrid/w:gridCol", NS)]
        assert sum(columns) == text_width
        assert columns[1] / columns[0] == pytest.approx(relative[1] / relative[0], rel=0.01)
        rows = table.findall("w:tr", NS)
        assert [row.find("w:trPr/w:tblHeader", NS) is not None for row in rows] == [True] + [False] * (len(rows) - 1)
        assert all(r.find("w:rPr/w:b", NS) is not None for r in rows[0].iter(f"{W}r"))
        assert not any(r.find("w:rPr/w:b", NS) is not None for row in rows[1:] for r in row.iter(f"{W}r"))
        assert len(table.findall(".//w:tblBorders/w:insideH", NS)) == 1
        sizes = {r.find("w:rPr/w:sz", NS).get(f"{W}val") for r in table.iter(f"{W}r")}
        assert len(sizes) == 1 and 21 <= int(sizes.pop()) <= 24  # 10.5-12 pt
    caption = tables[0].getprevious()
    assert "".join(caption.itertext()) == "表1  2026年第三季度月调度报送情况"
    # A line break inside a ledger cell is a paragraph of its own, not a stretched w:br line.
    cell = tables[1].findall("w:tr", NS)[1].findall("w:tc", NS)[4]
    assert ["".join(p.itertext()) for p in cell.findall("w:p", NS)] == sample_document().annexes[0].blocks[0].rows[0][
        4
    ].split("\n")


def test_a_draft_is_marked_and_shows_no_number_or_date():
    draft = render_docx(sample_document(draft=True))
    texts = paragraph_texts(draft)
    assert texts[0] == "征求意见稿"
    assert not any(NUMBER in text or DATE_TEXT in text for text in texts)
    assert "（日期待定）" in texts
    headers = xml_parts(draft, r"word/header\d*\.xml")
    assert len(headers) == 2 and all("征求意见稿" in "".join(root.itertext()) for root in headers.values())
    issued_texts = paragraph_texts(render_docx(sample_document()))
    assert "征求意见稿" not in "".join(issued_texts) and NUMBER in issued_texts


def test_libreoffice_opens_it_and_prints_the_chinese(circular, tmp_path):
    require_office()
    document = tmp_path / "季通报.docx"
    document.write_bytes(circular)
    pdf = convert_to_pdf(document, tmp_path)
    text = re.sub(r"\s+", "", pdf_text(pdf))
    for expected in (TITLE, ISSUER, NUMBER, HEADINGS[0], "推动煤炭资源稳定接续发展。", DATE_TEXT, "附件1"):
        assert re.sub(r"\s+", "", expected) in text
    fonts = pdf_fonts(pdf)
    assert any("CJK" in name for name in fonts), fonts
    sizes = [(round(w), round(h)) for w, h in pdf_page_sizes(pdf)]
    assert (842, 595) in sizes and sizes[0] == (595, 842) and sizes[-1] == (595, 842)


def test_it_writes_a_5000_row_annex_ledger_fast():
    rows = ledger_rows(5000)
    started = time.perf_counter()
    data = render_docx(sample_document(ledger=rows))
    elapsed = time.perf_counter() - started
    # Measured 1.0-2.0 s on the shared 2-core machine (python-docx's add_row alone: 12 s).
    assert elapsed < 15, f"{elapsed:.1f} s"
    body = xml_parts(data, r"word/document\.xml")["word/document.xml"]
    ledger = body.findall(".//w:tbl", NS)[1]
    table_rows = ledger.findall("w:tr", NS)
    assert len(table_rows) == 5001
    assert "".join(table_rows[-1].find("w:tc", NS).itertext()) == rows[-1][0]
    assert len(ledger.findall("w:tr/w:trPr/w:tblHeader", NS)) == 1


def test_it_keeps_odd_cells_and_refuses_what_it_cannot_lay_out():
    text_with_control = "市能源局\x0b（牵头）\x07"
    document = OfficialDocument(
        issuer=ISSUER,
        title="关于报送情况的通报",
        number="",
        date=None,
        addressees=ADDRESSEES,
        body=[Table(header=["单位", "情况"], rows=[[text_with_control], ["市工信局", "按时"]])],
        annexes=[Annex(title="说明", blocks=[Paragraph("第一行\n第二行")])],
    )
    texts = paragraph_texts(render_docx(document))
    assert "市能源局（牵头）" in texts  # characters XML cannot carry are dropped, the row is padded
    assert "（日期待定）" in texts and "附件：1.说明" in texts

    too_wide = Table(header=["单位"], rows=[["市能源局", "多出的单元格"]])
    with pytest.raises(ValueError, match="多于表头"):
        render_docx(OfficialDocument(ISSUER, "通报", "", None, ADDRESSEES, body=[too_wide]))
    with pytest.raises(ValueError, match="标题级别"):
        render_docx(OfficialDocument(ISSUER, "通报", "", None, ADDRESSEES, body=[Heading(4, "（1）细目")]))
