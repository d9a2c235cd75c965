"""A circular as PDF: the same HTML as the web page, laid out for A4 by WeasyPrint.

The glyphs come from Debian's fonts-noto-cjk (installed by ``bin/system-deps`` from ``make run``
and ``make test``); without a CJK font Chinese would print as empty boxes, which is why
``cjk_font_available`` is checked and a clear error raised rather than a PDF nobody can read.
"""

from __future__ import annotations

import subprocess
from functools import cache

from django.conf import settings
from django.template.loader import render_to_string

from notifications.circulars.document import OfficialDocument

PRINT_CSS = settings.BASE_DIR / "static" / "css" / "circular_print.css"


@cache
def cjk_font_available() -> bool:
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{family}", "Noto Serif CJK SC:lang=zh-cn"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "CJK" in found.stdout


def render_pdf(document: OfficialDocument) -> bytes:
    from weasyprint import CSS, HTML  # heavy import: only where a PDF is made

    if not cjk_font_available():
        raise RuntimeError("服务器缺少中文字体（fonts-noto-cjk），无法生成 PDF：请运行 bin/system-deps 安装。")
    html = render_to_string("circulars/print.html", {"document": document, "print": True})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
