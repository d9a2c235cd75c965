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
SCALE_ANNEX_XLSX = ROOT / "bench" / "output" / "scale-5000-annex.xlsx"


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


def _probe(mode: str, plan_name: str, path=SCALE_XLSX) -> dict:
    output = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "import_probe.py"), str(path), mode, plan_name],
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
            note="VmHWM of the importing process",
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


def import_annex_layout() -> list[Result]:
    """The same 5,000 measures as the annex is distributed: merged headings and task cells."""
    from tasks_app.services.plans import tasklist_export

    plan = _scale_plan()
    export_ms, export_runs = median_of(3, lambda: timed_ms(lambda: tasklist_export(plan=plan, fmt="distributed")))
    SCALE_ANNEX_XLSX.write_bytes(tasklist_export(plan=plan, fmt="distributed")[2])
    dry = [_probe("dry-run", f"bench-annex-dry-run-{i}", SCALE_ANNEX_XLSX) for i in range(RUNS)]
    applied = [_probe("apply", f"bench-annex-apply-{i}", SCALE_ANNEX_XLSX) for i in range(3)]
    size_kb = SCALE_ANNEX_XLSX.stat().st_size / 1024
    return [
        Result(
            "export 5,000 measures in the annex layout",
            export_ms / 1000,
            "s",
            runs=[v / 1000 for v in export_runs],
            note=f"merged headings and cells, row heights, A4 setup; {size_kb:.0f} KB",
        ),
        Result(
            "import 5,000-measure annex-layout XLSX: dry run",
            statistics.median(r["seconds"] for r in dry),
            "s",
            target=30,
            runs=[r["seconds"] for r in dry],
        ),
        Result(
            "import 5,000-measure annex-layout XLSX: dry-run peak memory",
            statistics.median(r["peak_mb"] for r in dry),
            "MB",
            target=500,
            runs=[r["peak_mb"] for r in dry],
            note="VmHWM of the importing process",
        ),
        Result(
            "import 5,000-measure annex-layout XLSX: dry-run queries",
            statistics.median(r["queries"] for r in dry),
            "queries",
            note="the unit directory once per file",
        ),
        Result(
            "import 5,000-measure annex-layout XLSX: apply",
            statistics.median(r["seconds"] for r in applied),
            "s",
            runs=[r["seconds"] for r in applied],
            note=f"queries: {statistics.median(r['queries'] for r in applied):.0f}",
        ),
    ]


def admin_preview() -> list[Result]:
    """The admin's preview of a 5,000-measure file: the background step, then the page showing its diff."""
    from django.urls import reverse

    from tasks_app.models import ImportJob, User
    from tasks_app.services.imports import import_job_create, tasklist_job_run

    user, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    job = import_job_create(
        kind=ImportJob.Kind.TASKLIST,
        file_name=SCALE_XLSX.name,
        data=SCALE_XLSX.read_bytes(),
        user=user,
        plan_name="bench-admin-preview",
    )
    step_ms = timed_ms(lambda: tasklist_job_run(job_id=job.pk, step=ImportJob.Step.PREVIEW, claim_from="uploaded"))
    client = Client()
    client.force_login(user)
    url = reverse("admin:tasks_app_planrevision_import_job", args=[job.token])
    size_kb = len(client.get(url).content) / 1024
    value, runs = median_of(3, lambda: timed_ms(lambda: client.get(url)))
    return [
        Result("admin preview of a 5,000-measure file: preview step", step_ms / 1000, "s", note="read, compare, store"),
        Result(
            "admin preview of a 5,000-measure file: page",
            value,
            "ms",
            runs=runs,
            note=f"every measure new: {size_kb:.0f} KB of HTML",
        ),
    ]


BENCHMARKS = [
    Benchmark("plan page", plan_page),
    Benchmark("tasklist import", import_xlsx),  # writes SCALE_XLSX, which the next ones read
    Benchmark("tasklist annex layout", import_annex_layout),
    Benchmark("tasklist admin preview", admin_preview),
]
