"""LibreOffice and poppler, for tests that check a generated document opens and prints.

Each conversion runs with its own LibreOffice profile (``-env:UserInstallation``): two suites
converting at once on one machine would otherwise fight over the default profile's lock.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import require_service

CONVERT_TIMEOUT = 120


def require_office() -> None:
    require_service(bool(shutil.which("libreoffice")), "LibreOffice（libreoffice-writer-nogui）")
    poppler = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo"))
    require_service(poppler, "poppler-utils（pdftotext、pdffonts、pdfinfo）")


def convert_to_pdf(document: Path, workdir: Path) -> Path:
    """``document`` converted by a headless LibreOffice; fails the test with LibreOffice's output
    if no PDF comes out."""
    outdir = workdir / "pdf"
    profile = workdir / "lo-profile"
    command = [
        "libreoffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(document),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT, check=False)
    pdf = outdir / f"{document.stem}.pdf"
    assert done.returncode == 0 and pdf.exists(), f"LibreOffice 未能转换：{done.stdout}\n{done.stderr}"
    return pdf


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf: Path) -> list[str]:
    """Names of the fonts in ``pdf`` (subset prefixes such as ``BAAAAA+`` removed)."""
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = listing.splitlines()[2:]  # a header line and a rule line first
    return [re.sub(r"^[A-Z]{6}\+", "", row.split()[0]) for row in rows if row.strip()]


def pdf_page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """(width, height) of every page in points."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True)
    return [
        (float(width), float(height))
        for width, height in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info.stdout, re.MULTILINE)
    ]


def pdf_glyph_shapes(pdf: Path) -> int:
    """How many different glyph outlines the PDF's Type 3 fonts draw (Chromium embeds the CJK fonts
    that way). Text printed in boxes (a missing font) draws one outline for every character; real
    Chinese text draws hundreds."""
    import zlib

    data = pdf.read_bytes()
    objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}
    refs = {
        int(n)
        for procs in re.findall(rb"/CharProcs\s*<<(.*?)>>", data, re.S)
        for n in re.findall(rb"(\d+)\s+0\s+R", procs)
    }
    shapes = set()
    for ref in refs:
        stream = re.search(rb"stream\r?\n(.*?)\r?\nendstream", objects.get(ref, b""), re.S)
        if stream:
            try:
                shapes.add(zlib.decompress(stream[1]))
            except zlib.error:
                shapes.add(stream[1])
    return len(shapes)
