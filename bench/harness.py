"""A small benchmark harness: run each measurement several times, keep the median.

Benchmarks are not timed tests (machines here are shared and noisy): they write
figures, with the machine they ran on, to ``bench/results.json`` and a table in
``docs/benchmarks.md``. Each ``bench/bench_*.py`` module lists its benchmarks in
``BENCHMARKS``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_JSON = ROOT / "bench" / "results.json"
REPORT_MD = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


@dataclass
class Result:
    name: str
    value: float
    unit: str
    target: float | None = None
    higher_is_better: bool = False
    note: str = ""
    runs: list[float] = field(default_factory=list)

    @property
    def meets_target(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "value": round(self.value, 3),
            "unit": self.unit,
            "target": self.target,
            "meets_target": self.meets_target,
            "higher_is_better": self.higher_is_better,
            "note": self.note,
            "runs": [round(v, 3) for v in self.runs],
        }


@dataclass
class Benchmark:
    """``measure()`` returns a list of Results (one benchmark may report several figures)."""

    name: str
    measure: Callable[[], list[Result]]


def median_of(runs: int, fn: Callable[[], float]) -> tuple[float, list[float]]:
    values = [fn() for _ in range(runs)]
    return statistics.median(values), values


def timed_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


class QueryCounter:
    """Counts the SQL statements run inside the block (works with DEBUG off)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc):
        return self._cm.__exit__(*exc)


def analyze_database() -> None:
    """The seed is a bulk load, and the PostgreSQL here runs with autovacuum off: give the planner the
    statistics and the visibility map autovacuum would have made, or it plans for empty tables (the
    dashboard took 3.6 s that way; 我的任务 probed an index once for each of the 5,000 measures) and
    index-only reads read the heap anyway. Each benchmark that reads reports calls it first, so a
    partial run (``bench/run.py filing``) measures the same database as ``make bench``."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()}


def _merged(results: list[Result]) -> list[Result]:
    """A partial run (``bench/run.py filing``) replaces its own figures and keeps the others."""
    if not RESULTS_JSON.exists():
        return results
    fresh = {r.name for r in results}
    kept = []
    for row in json.loads(RESULTS_JSON.read_text(encoding="utf-8")):
        if row["name"] in fresh:
            continue
        kept.append(
            Result(
                row["name"],
                row["value"],
                row["unit"],
                row.get("target"),
                higher_is_better=row.get("higher_is_better", False),
                note=row.get("note", ""),
                runs=row.get("runs", []),
            )
        )
    return kept + results


def write_reports(results: list[Result], context: dict) -> None:
    results = _merged(results)
    RESULTS_JSON.write_text(
        json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    lines = [
        BEGIN,
        f"Last run: {context['date']} · {context['machine']['cpu']} · {context['machine']['cores']} cores · "
        f"Python {context['machine']['python']} · database {context['database']} · broker {context.get('broker', '-')}",
        "",
        "| benchmark | median | unit | target | meets | runs | note |",
        "| --- | ---: | --- | ---: | :---: | --- | --- |",
    ]
    for r in results:
        meets = {True: "yes", False: "**no**", None: "-"}[r.meets_target]
        target = "-" if r.target is None else ("≥ " if r.higher_is_better else "≤ ") + f"{r.target:g}"
        runs = ", ".join(f"{v:.4g}" for v in r.runs) if r.runs else "-"
        lines.append(f"| {r.name} | {r.value:.4g} | {r.unit} | {target} | {meets} | {runs} | {r.note} |")
    lines.append(END)
    block = "\n".join(lines)
    text = (
        REPORT_MD.read_text(encoding="utf-8") if REPORT_MD.exists() else "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n"
    )
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text += "\n" + block + "\n"
    REPORT_MD.write_text(text, encoding="utf-8")
