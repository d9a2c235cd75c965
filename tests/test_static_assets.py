"""Front-end assets are local and well-formed: the intranet has no internet."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]


def test_every_stylesheet_has_balanced_braces():
    # A rule left open (a lost "}") silently swallows every rule after it.
    for css in (ROOT / "static").rglob("*.css"):
        text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.S)
        depth = 0
        for char in text:
            depth += {"{": 1, "}": -1}.get(char, 0)
            assert depth >= 0, f"{css.name}: a '}}' closes nothing"
        assert depth == 0, f"{css.name}: {depth} block(s) left open"


def test_no_template_loads_anything_from_another_site():
    for folder in TEMPLATE_DIRS:
        for template in folder.rglob("*.html"):
            text = template.read_text(encoding="utf-8")
            assert not re.search(r"""(src|href)=["']https?://""", text), template
            assert "<script>" not in text.replace(" ", ""), f"{template}: inline script"
