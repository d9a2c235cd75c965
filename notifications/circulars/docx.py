"""An ``OfficialDocument`` as a Word file, laid out as GB/T 9704-2012 lays out a 公文.

A4 portrait, text block 156 mm × 225 mm (margins 37/35/28/26 mm), 22 lines of 三号仿宋 a page.
版头: 发文机关标志 in red 小标宋 35 mm below the top of the text block, two lines down the 发文字号,
a red rule 4 mm under it. Then two lines down the title (二号小标宋), one line down the 主送机关,
the body, the 附件说明, one line down the 署名 and 成文日期 (GB/T 9704 7.3.5.2), and each annex on
a new page (a landscape one in its own section). Page numbers "— 1 —" in 四号宋体, outside on
odd and even pages. Sections in the ``wordml`` module explain why the XML is written as text.
"""

from __future__ import annotations

import dataclasses
import io

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from notifications.circulars.document import Annex, Block, Heading, OfficialDocument, Paragraph, Table
from notifications.circulars.docx_template import (
    BODY_PT,
    FANGSONG,
    HEITI,
    KAITI,
    LINE,
    RED,
    SONG,
    XIAOBIAOSONG,
    apply_template,
    style_id,
)
from notifications.circulars.wordml import (
    NSDECLS,
    Font,
    PageSetup,
    chars_indent,
    field,
    mm_to_twips,
    paragraph,
    pt_to_twips,
    run,
    scale_widths,
    section_properties,
    table,
    width_in_chars,
)

PORTRAIT = PageSetup(width=210, height=297, top=37, bottom=35, left=28, right=26)
# A landscape page is the portrait page turned a quarter clockwise: the bound (left) edge is now on
# top, so its margins turn with it and the page still binds with the others.
LANDSCAPE = PageSetup(width=297, height=210, top=28, bottom=26, left=35, right=37)

BODY = Font(FANGSONG, BODY_PT)
BODY_LEAD = Font(FANGSONG, BODY_PT, bold=True)
HEADING_FONTS = {1: Font(HEITI, BODY_PT), 2: Font(KAITI, BODY_PT), 3: Font(FANGSONG, BODY_PT, bold=True)}
TITLE = Font(XIAOBIAOSONG, 22)  # 二号
ANNEX_LABEL = Font(HEITI, BODY_PT)
CAPTION = Font(HEITI, 14)
PAGE_NUMBER = Font(SONG, 14)  # 四号
DRAFT = Font(HEITI, BODY_PT, color=RED)
DRAFT_MARK = "征求意见稿"
# Tables in the body in 小四; annex tables are the ledgers (six columns of long text), in 五号.
BODY_TABLE_PT, ANNEX_TABLE_PT = 12, 10.5
ISSUER_MAX_PT, ISSUER_MIN_PT = 42, 22  # 初号 for a short name, never below 二号
ISSUER_TOP_TWIPS = mm_to_twips(35)
RED_RULE = f'<w:bottom w:val="single" w:sz="12" w:space="11" w:color="{RED}"/>'  # 1.5 pt, 4 mm below


def render_docx(document: OfficialDocument) -> bytes:
    """The document as DOCX bytes. Raises ValueError for a heading level outside 1-3 or a table
    row with more cells than its header."""
    word = Document()
    apply_template(word, title=document.title, author=document.issuer)
    references = _headers_and_footers(word, draft=document.draft)
    body = _Body(references)
    _front(body, document)
    for block in document.body:
        body.block(block, table_pt=BODY_TABLE_PT)
    _closing(body, document)
    for number, annex in enumerate(document.annexes, start=1):
        _annex(body, number, annex)
    body.end()
    xml = f"<w:body {NSDECLS}>{''.join(body.parts)}{section_properties(body.setup, references, LINE)}</w:body>"
    old_body = word.element.body
    old_body.getparent().replace(old_body, parse_xml(xml))
    output = io.BytesIO()
    word.save(output)
    return output.getvalue()


class _Body:
    """The body's XML as it is written, and the page setup of the section being written."""

    def __init__(self, references: str):
        self.parts: list[str] = []
        self.references = references
        self.setup = PORTRAIT
        self._after_table = False

    def add(self, xml: str, *, is_table: bool = False) -> None:
        if is_table and self._after_table:
            # Two tables in a row would merge into one in Word: a line keeps them apart.
            self.parts.append(self.blank())
        self.parts.append(xml)
        self._after_table = is_table

    def end(self) -> None:
        """Word wants the last thing of a document to be a paragraph, not a table."""
        if self._after_table:
            self.add(paragraph(style="Normal", line=20, mark=Font(SONG, 1)))

    def blank(self) -> str:
        """One empty line of the body (GB/T 9704 counts distances in lines: 空一行)."""
        return paragraph(style="Normal", mark=BODY)

    def blanks(self, count: int) -> None:
        for _ in range(count):
            self.add(self.blank())

    def start_section(self, setup: PageSetup) -> None:
        """End the current section (a 1 pt paragraph carries its properties) and start one on
        ``setup`` on a new page."""
        end = section_properties(self.setup, self.references, LINE)
        self.add(paragraph(style="Normal", line=20, mark=Font(SONG, 1), sect_pr=end))
        self.setup = setup

    def block(self, block: Block, *, table_pt: float) -> None:
        if isinstance(block, Heading):
            if block.level not in HEADING_FONTS:
                raise ValueError(f"标题级别只能是 1、2、3，而不是 {block.level}：{block.text}")
            role = f"heading{block.level}"
            self.add(paragraph(run(block.text, HEADING_FONTS[block.level]), style=style_id(role), keep_next=True))
        elif isinstance(block, Paragraph):
            self.add(paragraph(run(block.lead, BODY_LEAD) + run(block.text, BODY), style=style_id("body")))
        elif isinstance(block, Table):
            self.table(block, table_pt)
        else:
            raise TypeError(f"未知的正文块：{block!r}")

    def table(self, block: Table, size_pt: float) -> None:
        columns = len(block.header) or max((len(row) for row in block.rows), default=0)
        if not columns:
            return
        if block.caption:
            self.add(paragraph(run(block.caption, CAPTION), style=style_id("caption"), keep_next=True))
        font = Font(FANGSONG, size_pt)
        xml = table(
            block.header,
            block.rows,
            scale_widths(block.widths, columns, self.setup.text_width),
            font=font,
            header_font=dataclasses.replace(font, bold=True),
            line=pt_to_twips(size_pt * 1.45),
            style=style_id("table"),
        )
        self.add(xml, is_table=True)


def _front(body: _Body, document: OfficialDocument) -> None:
    """版头, title and addressees. A draft says so in red on its first line and shows no number:
    nothing on it may pass for an issued document."""
    before = ISSUER_TOP_TWIPS
    if document.draft:
        body.add(paragraph(run(DRAFT_MARK, DRAFT), style="Normal", mark=DRAFT))
        before -= LINE
    issuer_font = _issuer_font(document.issuer)
    body.add(
        paragraph(
            run(document.issuer, issuer_font),
            style=style_id("issuer"),
            align="center",
            line=pt_to_twips(issuer_font.size * 1.25),
            before=before,
            mark=issuer_font,
        )
    )
    body.blanks(2)
    number = "" if document.draft else document.number
    # Without a number the red rule still closes the 版头, on an empty line in the number's place.
    body.add(paragraph(run(number, BODY), style=style_id("number"), border_bottom=RED_RULE, mark=BODY))
    body.blanks(2)
    body.add(paragraph(run(document.title, TITLE), style=style_id("title"), mark=TITLE))
    body.blanks(1)
    body.add(paragraph(run(document.addressees, BODY), style="Normal"))


def _issuer_font(issuer: str) -> Font:
    """As large as fits on one line of the text block, at most 初号, at least 二号 (then it wraps)."""
    text_width_pt = PORTRAIT.text_width / 20
    fitting = int(text_width_pt / max(width_in_chars(issuer), 1)) - 1
    return Font(XIAOBIAOSONG, max(ISSUER_MIN_PT, min(ISSUER_MAX_PT, fitting)), color=RED)


def _closing(body: _Body, document: OfficialDocument) -> None:
    """附件说明 (GB/T 9704 7.3.4), then 署名 and 成文日期 (7.3.5.2): the date's first character two
    characters right of the signature's; if the date is the longer, the date keeps 2 characters
    from the right margin and the signature moves right."""
    if document.annexes:
        body.blanks(1)
        label = "附件："
        for number, annex in enumerate(document.annexes, start=1):
            # Wrapped lines of a long annex name align under the name, not under "附件：".
            hang = width_in_chars(label) if number == 1 else 0
            indent = chars_indent("left", 2 + width_in_chars(label), BODY_PT) + chars_indent("hanging", hang, BODY_PT)
            prefix = label if number == 1 else ""
            body.add(paragraph(run(f"{prefix}{number}.{annex.title}", BODY), style="Normal", indent=indent))
    date_text = dataclasses.replace(document, date=None).date_text if document.draft else document.date_text
    issuer_width, date_width = width_in_chars(document.issuer), width_in_chars(date_text)
    issuer_right = 2.0
    date_right = issuer_right + issuer_width - 2 - date_width
    if date_right < 2:
        date_right = 2.0
        issuer_right = date_right + date_width + 2 - issuer_width
    body.blanks(1)
    for text, right in ((document.issuer, issuer_right), (date_text, date_right)):
        indent = chars_indent("right", right, BODY_PT)
        body.add(paragraph(run(text, BODY), style="Normal", align="right", indent=indent))


def _annex(body: _Body, number: int, annex: Annex) -> None:
    """附件N in 三号黑体 on the first line of a new page, the title centred on the third line
    (GB/T 9704 8), then the blocks; a landscape annex is its own section."""
    setup = LANDSCAPE if annex.landscape else PORTRAIT
    new_section = setup != body.setup
    if new_section:
        body.start_section(setup)
    label = run(f"附件{number}", ANNEX_LABEL)
    body.add(paragraph(label, style="Normal", page_break_before=not new_section, mark=ANNEX_LABEL))
    body.blanks(1)
    body.add(paragraph(run(annex.title, TITLE), style=style_id("title"), keep_next=True, mark=TITLE))
    body.blanks(1)
    for block in annex.blocks:
        body.block(block, table_pt=ANNEX_TABLE_PT)


def _headers_and_footers(word, *, draft: bool) -> str:
    """Footers with the page number "— N —", 一字线 on both sides, one character in from the outer
    edge: right on odd pages, left on even ones (GB/T 9704 7.5). A draft also says 征求意见稿 at
    the top of every page, so no single page can pass for issued. Returns the references to put in
    every section."""
    word.settings.odd_and_even_pages_header_footer = True
    section = word.sections[0]
    footers = (
        (section.footer, "right", chars_indent("right", 1, PAGE_NUMBER.size)),
        (section.even_page_footer, "left", chars_indent("left", 1, PAGE_NUMBER.size)),
    )
    for footer, align, indent in footers:
        footer.is_linked_to_previous = False
        number = run("— ", PAGE_NUMBER) + field("PAGE", PAGE_NUMBER, "1") + run(" —", PAGE_NUMBER)
        _replace_content(footer._element, paragraph(number, style="Footer", align=align, indent=indent))
    if draft:
        mark = Font(HEITI, 12, color=RED)
        for header in (section.header, section.even_page_header):
            header.is_linked_to_previous = False
            _replace_content(header._element, paragraph(run(f"（{DRAFT_MARK}）", mark), style="Header", align="center"))
    names = (qn("w:headerReference"), qn("w:footerReference"))
    return "".join(
        f'<w:{child.tag.split("}")[1]} w:type="{child.get(qn("w:type"))}" r:id="{child.get(qn("r:id"))}"/>'
        for child in word.element.body.sectPr
        if child.tag in names
    )


def _replace_content(story, xml: str) -> None:
    for child in list(story):
        story.remove(child)
    for child in list(parse_xml(f"<w:body {NSDECLS}>{xml}</w:body>")):
        story.append(child)
