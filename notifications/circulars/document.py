"""An official document (公文) as plain data: what the HTML page, the DOCX and the PDF all render.

A circular is compiled into numbers and quotes (its snapshot); ``circular_document`` turns that
into an ``OfficialDocument``; each renderer only lays the document out. Nothing here knows about
reports or periods, so the renderers can be tested with any document.

The shape follows GB/T 9704-2012 as local offices use it: the issuing office's header (发文机关标志)
and the document number (发文字号) above a red line, the title (标题), the addressees (主送机关), the
body with headings 一、 （一） 1., the signature (署名) and date (成文日期) at the end, then the annexes
(附件), each with its own title, a table of which may be printed landscape.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar


def chinese_date(day: dt.date) -> str:
    """2026年11月22日: Arabic numerals, no leading zeros (GB/T 9704-2012, 7.3.5.3)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Heading:
    """A heading of the body. level 1: "一、…" (黑体), 2: "（一）…" (楷体), 3: "1.…" (仿宋, bold).
    ``text`` already carries its number: renderers never number headings themselves."""

    level: int
    text: str
    kind: ClassVar[str] = "heading"  # lets templates tell blocks apart


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph (仿宋, first line indented two characters). ``lead`` is an optional run
    in bold at its start, as in "1.煤炭产业。" followed by the text."""

    text: str
    lead: str = ""
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class Table:
    """A table: a header row and body rows of plain text cells. ``widths`` are relative column
    widths (any positive numbers; the renderer scales them to the page). ``caption`` is shown above."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)
    caption: str = ""
    kind: ClassVar[str] = "table"

    def percent_widths(self) -> list[float]:
        """Column widths as percentages of the table width (equal when none are given)."""
        widths = self.widths if len(self.widths) == len(self.header) else [1.0] * len(self.header)
        total = sum(widths)
        return [round(100 * w / total, 2) for w in widths]


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Annex:
    """附件N: a title and its blocks; ``landscape`` puts it on A4 landscape pages (wide tables)."""

    title: str
    blocks: list[Block]
    landscape: bool = False


@dataclass(frozen=True)
class OfficialDocument:
    issuer: str  # 发文机关: 呼伦贝尔市人民政府督查室
    title: str  # 关于2026年第三季度重点任务推进情况的通报
    number: str  # 呼督通〔2026〕3号; empty for a draft
    date: dt.date | None  # 成文日期; None for a draft
    addressees: str  # 主送: 各旗市区人民政府，市直各有关部门：
    body: list[Block]
    annexes: list[Annex] = field(default_factory=list)
    draft: bool = False  # a draft carries 征求意见稿/草稿 marks in every format

    @property
    def date_text(self) -> str:
        return chinese_date(self.date) if self.date else "（日期待定）"
