"""WordprocessingML fragments written as text: runs, paragraphs, tables and section properties.

The DOCX renderer writes the body as XML text and parses it once, instead of going through
python-docx's objects: an annex ledger of a province-scale plan has 5,000 rows × 6 cells, and
python-docx's ``add_row`` slows down as the table grows (measured on the shared 2-core machine:
1,000 rows 1.5 s, 5,000 rows 12 s, before any formatting). Text
joined in one pass and parsed once by lxml renders the whole 5,000-row document in about a second.

Every run written here carries ``w:rFonts`` with ``w:eastAsia`` (Word picks the East Asian slot for
Chinese characters; python-docx only ever writes ``w:ascii``/``w:hAnsi``). Lengths are in twips
(1/20 pt) unless a name says otherwise. Element order inside ``w:pPr``, ``w:rPr``, ``w:trPr`` and
``w:sectPr`` follows the schema (ECMA-376 Part 1, 17.3 and 17.6): Word refuses a file otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECLS = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'

TWIPS_PER_PT = 20
# Characters XML 1.0 cannot carry (text pasted from Excel brings \x0b and friends): dropped, since
# one of them would make the whole document unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BREAKS = re.compile("(\n|\t)")


def mm_to_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def pt_to_twips(pt: float) -> int:
    return round(pt * TWIPS_PER_PT)


def width_in_chars(text: str) -> float:
    """How many full-width characters ``text`` takes: Chinese and full-width punctuation count 1,
    Latin letters and Arabic numerals (half-width in 公文) count ½. Ambiguous-width characters
    (“ ” — …) are full width in Chinese text."""
    return sum(1 if unicodedata.east_asian_width(char) in "FWA" else 0.5 for char in text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class Font:
    """The look of a run: font family (used for all scripts), size in points, bold, colour RRGGBB."""

    name: str
    size: float
    bold: bool = False
    color: str = ""


@lru_cache(maxsize=64)
def rpr(font: Font) -> str:
    """``w:rPr`` of ``font``. The one family goes to every slot, so digits and Latin letters in a
    Chinese sentence use the same face; w:hint="eastAsia" makes Word set ambiguous characters such
    as “ ” in that face too instead of a Western one."""
    name = _escape(font.name)
    fonts = f'<w:rFonts w:ascii="{name}" w:eastAsia="{name}" w:hAnsi="{name}" w:cs="{name}" w:hint="eastAsia"/>'
    bold = "<w:b/><w:bCs/>" if font.bold else ""
    color = f'<w:color w:val="{font.color}"/>' if font.color else ""
    half_points = round(font.size * 2)
    return f'<w:rPr>{fonts}{bold}{color}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'


def _text(text: str) -> str:
    """``w:t`` for ``text``: a line break inside the text becomes ``w:br``, a tab ``w:tab``."""
    parts = []
    for piece in _BREAKS.split(clean(text)):
        if piece == "\n":
            parts.append("<w:br/>")
        elif piece == "\t":
            parts.append("<w:tab/>")
        elif piece:
            parts.append(f'<w:t xml:space="preserve">{_escape(piece)}</w:t>')
    return "".join(parts)


def run(text: str, font: Font) -> str:
    return f"<w:r>{rpr(font)}{_text(text)}</w:r>" if text else ""


def field(instruction: str, font: Font, shown: str) -> str:
    """A complex field (``PAGE``…): begin, instruction, separator, the value shown until a reader
    updates it, end. Each part is its own run, each with the font, as Word writes them."""
    props = rpr(font)
    return (
        f'<w:r>{props}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{props}<w:instrText xml:space="preserve"> {_escape(instruction)} </w:instrText></w:r>'
        f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{props}<w:t>{_escape(shown)}</w:t></w:r>"
        f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def chars_indent(kind: str, chars: float, char_pt: float) -> str:
    """Attributes of ``w:ind`` for an indent of ``chars`` characters of ``char_pt`` points: in
    character units (Word keeps "2 字符" when the font size changes) and in twips (for readers that
    ignore character units)."""
    if not chars:
        return ""
    return f' w:{kind}Chars="{round(chars * 100)}" w:{kind}="{pt_to_twips(chars * char_pt)}"'


def paragraph(
    runs: str = "",
    *,
    style: str,
    align: str = "",
    indent: str = "",
    line: int = 0,
    before: int = 0,
    keep_next: bool = False,
    page_break_before: bool = False,
    border_bottom: str = "",
    outline: int | None = None,
    mark: Font | None = None,
    sect_pr: str = "",
) -> str:
    """A ``w:p``. ``indent`` is attributes of ``w:ind`` (see ``chars_indent``), ``line`` an exact
    line height, ``border_bottom`` a ``w:bottom`` element, ``mark`` the font of the paragraph mark
    (it sets the height of an empty line), ``sect_pr`` ends a section with this paragraph."""
    props = [f'<w:pStyle w:val="{style}"/>']
    if keep_next:
        props.append("<w:keepNext/>")
    if page_break_before:
        props.append("<w:pageBreakBefore/>")
    if border_bottom:
        props.append(f"<w:pBdr>{border_bottom}</w:pBdr>")
    if line or before:
        spacing = f' w:before="{before}"' if before else ""
        spacing += f' w:line="{line}" w:lineRule="exact"' if line else ""
        props.append(f"<w:spacing{spacing}/>")
    if indent:
        props.append(f"<w:ind{indent}/>")
    if align:
        props.append(f'<w:jc w:val="{align}"/>')
    if outline is not None:
        props.append(f'<w:outlineLvl w:val="{outline}"/>')
    if mark is not None:
        props.append(rpr(mark))
    props.append(sect_pr)
    return f"<w:p><w:pPr>{''.join(props)}</w:pPr>{runs}</w:p>"


def scale_widths(relative: list[float], columns: int, total: int) -> list[int]:
    """Column widths in twips summing to ``total``: ``relative`` scaled, or equal columns when
    ``relative`` does not give one positive number per column."""
    if len(relative) != columns or any(width <= 0 for width in relative):
        relative = [1.0] * columns
    scale = total / sum(relative)
    widths = [int(width * scale) for width in relative]
    widths[-1] += total - sum(widths)
    return widths


def table(
    header: list[str],
    rows: list[list[str]],
    widths: list[int],
    *,
    font: Font,
    header_font: Font,
    line: int,
    style: str,
) -> str:
    """A bordered ``w:tbl`` of fixed column ``widths`` (twips), centred on the page. The header row
    repeats at the top of every page (``w:tblHeader``) and is never split across pages.
    Rows shorter than the header are padded with empty cells; a longer row is an error, since
    dropping its cells would lose text silently."""
    columns = len(widths)
    border = '<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    borders = "".join(border.format(side=side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{width}"/>' for width in widths),
        "</w:tblGrid>",
    ]
    cell_starts = [
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>' for width in widths
    ]
    spacing = f'<w:spacing w:line="{line}" w:lineRule="exact"/>'

    def row_xml(cells: list[str], props: str, cell_font: Font, align: str) -> None:
        if len(cells) > columns:
            raise ValueError(f"表格行有 {len(cells)} 个单元格，多于表头的 {columns} 列：{cells!r}")
        p_start = f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{spacing}<w:jc w:val="{align}"/></w:pPr>'
        parts.append(f"<w:tr>{props}")
        for index in range(columns):
            # Each line of a cell is a paragraph of its own (as typed in Word): a line ended by
            # w:br would be stretched to the full width of a justified cell.
            lines = clean(str(cells[index])).split("\n") if index < len(cells) else [""]
            paragraphs = "".join(f"{p_start}{run(line, cell_font)}</w:p>" for line in lines)
            parts.append(f"{cell_starts[index]}{paragraphs}</w:tc>")
        parts.append("</w:tr>")

    if header:
        row_xml(header, "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>", header_font, "center")
    for cells in rows:
        row_xml(cells, "", font, "both")
    parts.append("</w:tbl>")
    return "".join(parts)


@dataclass(frozen=True)
class PageSetup:
    """A section's paper and margins, in millimetres."""

    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    header: float = 15
    footer: float = 22

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def text_width(self) -> int:
        return mm_to_twips(self.width - self.left - self.right)


def section_properties(setup: PageSetup, references: str, line_pitch: int) -> str:
    """``w:sectPr`` of a section that starts on a new page. ``references`` are the section's
    header and footer references, repeated in every section so no reader has to inherit them.
    The document grid stays off (no ``w:type``): exact line heights already give 22 lines a page,
    and a line grid would also stretch the header and footer lines to its pitch."""
    orient = ' w:orient="landscape"' if setup.landscape else ""
    margins = " ".join(
        f'w:{side}="{mm_to_twips(getattr(setup, side))}"'
        for side in ("top", "right", "bottom", "left", "header", "footer")
    )
    return (
        f'<w:sectPr>{references}<w:type w:val="nextPage"/>'
        f'<w:pgSz w:w="{mm_to_twips(setup.width)}" w:h="{mm_to_twips(setup.height)}"{orient}/>'
        f'<w:pgMar {margins} w:gutter="0"/><w:cols w:space="425"/>'
        f'<w:docGrid w:linePitch="{line_pitch}"/></w:sectPr>'
    )
