"""A circular as PDF: the same HTML as the web page, printed to A4 by headless Chromium.

Why Chromium and not WeasyPrint: a province-scale circular's annex lists 5,000 measures (about 1,250
pages). WeasyPrint lays a table row out in about 20 ms, so that annex took 100-250 s here; Chromium
prints it in 15-30 s. Chromium honours the same print CSS (A4, named landscape pages for the annex,
"— 1 —" page numbers in the page margin). It is Debian's ``chromium``, installed with the CJK fonts
(``fonts-noto-cjk``) by ``bin/system-deps`` from ``make run`` and ``make test``; without a CJK font
Chinese would print as empty boxes, so that is checked first and refused with a clear message.

The page is our own template with every text escaped, and its Content-Security-Policy allows no script
and no request (only its inline stylesheet); Chromium runs it with a throwaway profile, without
background network services, under a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from notifications.circulars.document import OfficialDocument

PRINT_CSS = settings.BASE_DIR / "static" / "css" / "circular_print.css"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # the worker may run as root in a container; the page is our own escaped HTML
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
]


@cache
def cjk_font_available() -> bool:
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{family}", "Noto Serif CJK SC:lang=zh-cn"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "CJK" in found.stdout


def chromium() -> str:
    path = settings.CHROMIUM_PATH or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path or not Path(path).exists():
        raise RuntimeError(
            "服务器未安装 Chromium，无法生成 PDF：请运行 bin/system-deps 安装（Debian 软件包 chromium）。"
        )
    return path


def print_html(document: OfficialDocument) -> str:
    """The page Chromium prints: the document and the print stylesheet in one file."""
    return render_to_string(
        "circulars/print.html", {"document": document, "print": True, "print_css": PRINT_CSS.read_text("utf-8")}
    )


def render_pdf(document: OfficialDocument) -> bytes:
    if not cjk_font_available():
        raise RuntimeError("服务器缺少中文字体（fonts-noto-cjk），无法生成 PDF：请运行 bin/system-deps 安装。")
    with tempfile.TemporaryDirectory(prefix="circular-pdf-") as work:
        page, pdf = Path(work) / "circular.html", Path(work) / "circular.pdf"
        page.write_text(print_html(document), encoding="utf-8")
        command = [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={work}/profile",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=settings.PDF_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"生成 PDF 超时（{settings.PDF_TIMEOUT_SECONDS} 秒）。") from exc
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise RuntimeError(f"Chromium 未能生成 PDF（退出码 {done.returncode}）：{done.stderr[-500:]}")
        return pdf.read_bytes()
