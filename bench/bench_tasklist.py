"""Task list at province scale: the plan page, and importing a 5,000-measure XLSX."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from django.test import Client

from bench.harness import ROOT, Benchmark, QueryCounter, Result, median_of, timed_ms
from bench.synthetic import SCALE_PLAN_NAME

RUNS = 5
SCALE_XLSX = ROOT / "bench" / "output" / "scale-5000.xlsx"


def _scale_plan():
    from tasks_app.models import Plan

    return Plan.objects.get(name=SCALE_PLAN_NAME)


def plan_page() -> list[Result]:
    plan = _scale_plan()
    client = Client()
    url = f"/plans/{plan.pk}/"
    client.get(url)  # warm up
    with QueryCounter() as queries:
        client.get(url)
    value, runs = median_of(RUNS, lambda: timed_ms(lambda: client.get(url)))
    return [
        Result("plan page, 5,000 measures: server time", value, "ms", note="Django test client, whole page", runs=runs),
        Result("plan page, 5,000 measures: queries", queries.count, "queries", target=7),
    ]


def _probe(mode: str, plan_name: str) -> dict:
    output = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "import_probe.py"), str(SCALE_XLSX), mode, plan_name],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def import_xlsx() -> list[Result]:
    from tasks_app.tasklist.apply import current_tasklist
    from tasks_app.tasklist.export import write_flat_xlsx

    SCALE_XLSX.write_bytes(write_flat_xlsx(current_tasklist(_scale_plan())))
    dry = [_probe("dry-run", f"bench-dry-run-{i}") for i in range(RUNS)]
    applied = [_probe("apply", f"bench-apply-{i}") for i in range(3)]
    measures = dry[0]["measures"]
    return [
        Result(
            "import 5,000-measure XLSX: dry run",
            statistics.median(r["seconds"] for r in dry),
            "s",
            target=30,
            runs=[r["seconds"] for r in dry],
            note=f"{measures} measures into an empty plan",
        ),
        Result(
            "import 5,000-measure XLSX: dry-run peak memory",
            statistics.median(r["peak_mb"] for r in dry),
            "MB",
            target=500,
            runs=[r["peak_mb"] for r in dry],
            note="ru_maxrss of the importing process",
        ),
        Result(
            "import 5,000-measure XLSX: dry-run queries",
            statistics.median(r["queries"] for r in dry),
            "queries",
            note="constant: the unit directory is read once per file",
        ),
        Result(
            "import 5,000-measure XLSX: apply",
            statistics.median(r["seconds"] for r in applied),
            "s",
            runs=[r["seconds"] for r in applied],
        ),
        Result(
            "import 5,000-measure XLSX: apply queries",
            statistics.median(r["queries"] for r in applied),
            "queries",
            note="bulk writes; per 1,000 measures ≈ this / 5",
        ),
    ]


BENCHMARKS = [Benchmark("plan page", plan_page), Benchmark("tasklist import", import_xlsx)]
