"""Exact percentiles from every request the load test made, and its section of docs/benchmarks.md.

Locust's own table rounds response times into buckets (10 ms steps above 100 ms); the locustfile keeps
every sample, so the figures here are nearest-rank percentiles of the real times.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT_MD = ROOT / "docs" / "benchmarks.md"
RESULTS_JSON = ROOT / "loadtest" / "results.json"
BEGIN, END = "<!-- loadtest:begin -->", "<!-- loadtest:end -->"
P95_TARGET_MS = 300


@dataclass
class Row:
    name: str
    count: int
    errors: int
    p50: float
    p95: float
    p99: float
    max: float


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def row_of(name: str, samples: list[tuple[str, float, str | None]]) -> Row:
    times = sorted(ms for _, ms, _ in samples)
    errors = sum(1 for *_, error in samples if error)
    p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99))
    return Row(name, len(times), errors, p50, p95, p99, times[-1] if times else math.nan)


def table(samples: list[tuple[str, float, str | None]]) -> list[Row]:
    """One row per request type, in the order a reporter makes them, then all requests together."""
    names = list(dict.fromkeys(name for name, _, _ in samples))
    rows = [row_of(name, [s for s in samples if s[0] == name]) for name in names]
    return [*rows, row_of("全部请求", samples)]


def markdown(context: dict, rows: list[Row], check_summary: str) -> str:
    overall = rows[-1]
    meets = "yes" if overall.p95 <= P95_TARGET_MS else "**no**"
    lines = [
        BEGIN,
        f"Last run: {context['date']} · {context['machine']['cpu']} · {context['machine']['cores']} cores · "
        f"Python {context['machine']['python']} · PostgreSQL · Redis (broker, cache) · gunicorn {context['gunicorn']}",
        "",
        f"Scenario: {context['scenario']}",
        "",
        f"Load average (1/5/15 min): before {context['load_before']}, highest 1-min during {context['load_peak']}, "
        f"after {context['load_after']}. {context['throughput']} {context['cpu']}",
        "",
        "| request | count | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        name = f"**{row.name}**" if row is overall else row.name
        lines.append(
            f"| {name} | {row.count} | {row.errors} | {row.p50:.0f} | {row.p95:.0f} | {row.p99:.0f} | {row.max:.0f} |"
        )
    lines += [
        "",
        f"Target: 0 errors ({'yes' if overall.errors == 0 else '**no**'}), 0 lost "
        f"({'yes' if context['check_passed'] else '**no**'}), p95 ≤ {P95_TARGET_MS} ms overall ({meets}). "
        f"{check_summary}",
        END,
    ]
    return "\n".join(lines)


def write(context: dict, rows: list[Row], check_summary: str) -> None:
    block = markdown(context, rows, check_summary)
    text = REPORT_MD.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n## Deadline-day load test (`make loadtest`)\n\n" + block + "\n"
    REPORT_MD.write_text(text, encoding="utf-8")
    RESULTS_JSON.write_text(
        json.dumps({"context": context, "rows": [vars(r) for r in rows]}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
