"""The zh-CN template of the official document, built at render time on python-docx's package.

Decision: no committed template .docx. python-docx's default template is an English/Japanese one
(docDefaults in the theme's fonts with w:lang eastAsia="en-US", settings w:themeFontLang
eastAsia="ja-JP", ＭＳ 明朝 in the font table, a thumbnail of an English page), so its package is
kept only as the skeleton (content types, relationships, theme, numbering) and everything that
decides how Chinese text looks is rewritten here, in code: the styles part (docDefaults declaring
zh-CN and East Asian fonts, and only the styles the renderer uses), the font table and the
language settings. Fonts and sizes then live in one reviewable place next to the layout, with no
binary file that someone edits in Word and that silently drifts from the code; it costs a few
milliseconds per document.

Theme font attributes (w:asciiTheme, w:eastAsiaTheme…) are never written: in Word they win over
explicit font names, which is how a document "in 仿宋" comes out in the theme's font.
"""

from __future__ import annotations

import datetime as dt

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from notifications.circulars.wordml import NSDECLS, Font, chars_indent, rpr

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONG = "宋体"
RED = "FF0000"
BODY_PT = 16  # 三号
LINE = 579  # 28.95 pt: 22 lines on the 225 mm high text block of GB/T 9704-2012 (5.2.2)

# Style ids are ASCII (they are references); the names are what the office sees in Word's style list.
STYLES = {
    "body": ("GwBody", "公文正文"),
    "heading1": ("GwHeading1", "公文一级标题"),
    "heading2": ("GwHeading2", "公文二级标题"),
    "heading3": ("GwHeading3", "公文三级标题"),
    "issuer": ("GwIssuer", "发文机关标志"),
    "number": ("GwNumber", "发文字号"),
    "title": ("GwTitle", "公文标题"),
    "caption": ("GwCaption", "表格标题"),
    "table": ("GwTableText", "表格文字"),
}


def style_id(role: str) -> str:
    return STYLES[role][0]


def _paragraph_style(role: str, font: Font, ppr: str = "", outline: int | None = None) -> str:
    sid, name = STYLES[role]
    level = f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else ""
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>{ppr}{level}</w:pPr>{rpr(font)}</w:style>'
    )


def styles_xml() -> str:
    body = Font(FANGSONG, BODY_PT)
    indent = f"<w:ind{chars_indent('firstLine', 2, BODY_PT)}/>"
    fonts = f'<w:rFonts w:ascii="{FANGSONG}" w:eastAsia="{FANGSONG}" w:hAnsi="{FANGSONG}" w:cs="{FANGSONG}"/>'
    size = f'<w:sz w:val="{BODY_PT * 2}"/><w:szCs w:val="{BODY_PT * 2}"/>'
    return (
        f"<w:styles {NSDECLS}>"
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'{fonts}<w:kern w:val="2"/>{size}<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault>"
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
        # Widow control off: a 公文 page holds 22 lines, not 21 because a paragraph's last line moved.
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        f'<w:pPr><w:widowControl w:val="0"/><w:spacing w:line="{LINE}" w:lineRule="exact"/><w:jc w:val="both"/>'
        f"</w:pPr>{rpr(body)}</w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
        + "".join(
            f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/>'
            f'<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/>'
            f"</w:pPr>{rpr(Font(SONG, 9))}</w:style>"
            for sid, name in (("Header", "header"), ("Footer", "footer"))
        )
        + _paragraph_style("body", body, indent)
        + _paragraph_style("heading1", Font(HEITI, BODY_PT), f"<w:keepNext/>{indent}", outline=0)
        + _paragraph_style("heading2", Font(KAITI, BODY_PT), f"<w:keepNext/>{indent}", outline=1)
        + _paragraph_style("heading3", Font(FANGSONG, BODY_PT, bold=True), f"<w:keepNext/>{indent}", outline=2)
        + _paragraph_style("issuer", Font(XIAOBIAOSONG, 36, color=RED), '<w:jc w:val="center"/>')
        + _paragraph_style("number", body, '<w:jc w:val="center"/>')
        + _paragraph_style("title", Font(XIAOBIAOSONG, 22), '<w:jc w:val="center"/>')
        + _paragraph_style("caption", Font(HEITI, 14), '<w:keepNext/><w:jc w:val="center"/>')
        + _paragraph_style("table", Font(FANGSONG, 12))
        + "</w:styles>"
    )


# Charset 86 is GB2312: a reader without the font substitutes one that has Chinese glyphs. The
# alternative names are the names Windows gives the nearest installed face (仿宋 for 仿宋_GB2312).
_FONTS = (
    (FANGSONG, "仿宋", "modern", "fixed"),
    (KAITI, "楷体", "modern", "fixed"),
    (HEITI, "SimHei", "modern", "fixed"),
    (XIAOBIAOSONG, "宋体", "auto", "variable"),
    (SONG, "SimSun", "auto", "variable"),
)


def _font_table_xml() -> bytes:
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, alt, family, pitch in _FONTS
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {NSDECLS}>{fonts}</w:fonts>'.encode()


def apply_template(document: Document, *, title: str, author: str) -> None:
    """Turn python-docx's default document into the zh-CN template (see the module docstring)."""
    styles = document.styles.element
    for child in list(styles):
        styles.remove(child)
    for child in list(parse_xml(styles_xml())):
        styles.append(child)

    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "en-US")
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    # 标点挤压, as Word sets it for Chinese documents: no wide gap after a full-width comma.
    spacing_control = settings.find(qn("w:characterSpacingControl"))
    if spacing_control is not None:
        spacing_control.set(qn("w:val"), "compressPunctuation")

    # A line ended by a manual break (Shift+Enter) is not stretched across a justified paragraph.
    compat = settings.find(qn("w:compat"))
    if compat is not None and compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, parse_xml(f"<w:doNotExpandShiftReturn {NSDECLS}/>"))

    main = document.part
    for rel in list(main.rels.values()):
        if rel.reltype == RT.FONT_TABLE or rel.reltype.endswith("/stylesWithEffects"):
            # stylesWithEffects is Word 2010's second copy of the English styles.
            main.drop_rel(rel.rId)
    font_table = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, _font_table_xml(), main.package)
    main.relate_to(font_table, RT.FONT_TABLE)
    package_rels = main.package.rels
    for rId in [rId for rId, rel in package_rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package_rels[rId]

    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = author
    properties.comments = ""
    properties.language = "zh-CN"
    properties.revision = 1
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)  # written as UTC ("…Z")
    properties.created = properties.modified = now
