"""Ids in query strings (?plan=, ?period=, ?sector= …), read so that no value can crash a query."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest id a database column holds


def query_id(value) -> int | None:
    """None when absent or not an ASCII number; -1 (matches no row) when too large for the database."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()):
        return None
    return int(text) if int(text) <= MAX_ID else -1
