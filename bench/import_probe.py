"""Run one import of a task list file in a fresh process and print its cost as JSON.

A separate process, so that its peak memory (VmHWM) is the import's own.
Usage: python bench/import_probe.py FILE dry-run|apply PLAN_NAME
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskboard.settings")


def peak_rss_mb() -> float:
    """This process's peak resident memory. ru_maxrss is no good here: Linux carries it over
    from the parent through fork and exec, so it reported the benchmark runner's own ~200 MB.
    VmHWM belongs to the memory of this program only."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(path: str, mode: str, plan_name: str) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tasks_app.services.plans import plan_get_or_create, tasklist_import, tasklist_preview

    data = Path(path).read_bytes()
    plan = plan_get_or_create(name=plan_name)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        if mode == "dry-run":
            preview = tasklist_preview(plan=plan, file_name=Path(path).name, data=data)
            assert preview.ok, preview.read.errors[:3]
            measures = preview.read.tasklist.measure_count
        else:
            _, preview = tasklist_import(plan=plan, file_name=Path(path).name, data=data)
            measures = preview.read.tasklist.measure_count
    seconds = time.perf_counter() - start
    peak_mb = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "queries": len(queries), "measures": measures}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
