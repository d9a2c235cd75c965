"""``make bench``: build a fresh province-scale database, run every benchmark, write the reports.

PostgreSQL (database ``taskboard_bench``, or ``$TASKBOARD_BENCH_DB``, on 127.0.0.1:5432) when it answers,
else a SQLite file; the database is dropped and rebuilt on every run.
``python bench/run.py dashboard`` runs only the benchmarks whose name contains "dashboard".
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUTPUT = ROOT / "bench" / "output"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Two checkouts benchmarking at once must not drop each other's database.
PG_BENCH_DB = os.environ.get("TASKBOARD_BENCH_DB", "taskboard_bench")
MEASURES, UNITS, MONTHS = 5000, 300, 60


def prepare_database(*, reuse: bool = False) -> str:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    os.environ["TASKBOARD_DATA_DIR"] = str(OUTPUT / "data")
    try:
        socket.create_connection(("127.0.0.1", 5432), 1).close()
    except OSError:
        path = OUTPUT / "bench.sqlite3"
        if not reuse:
            path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return "SQLite"
    import psycopg

    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
    if reuse:
        return "PostgreSQL"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
    return "PostgreSQL"


def main(argv: list[str]) -> int:
    # --reuse: keep the seeded database of the last run (for iterating on one benchmark).
    reuse = "--reuse" in argv
    argv = [arg for arg in argv if arg != "--reuse"]
    database = prepare_database(reuse=reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskboard.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from bench.harness import machine, write_reports

    call_command("migrate", verbosity=0)
    if not reuse:
        print(
            f"[bench] database: {database}; seeding {MEASURES} measures, {UNITS} units, {MONTHS} months …", flush=True
        )
        started = time.perf_counter()
        call_command("seed_scale", measures=MEASURES, units=UNITS, months=MONTHS)
        print(f"[bench] seeded in {time.perf_counter() - started:.0f} s", flush=True)

    selected = argv[1:] if len(argv) > 1 else []
    results = []
    for module_path in sorted((ROOT / "bench").glob("bench_*.py")):
        module = importlib.import_module(f"bench.{module_path.stem}")
        for benchmark in module.BENCHMARKS:
            if selected and not any(word in benchmark.name for word in selected):
                continue
            print(f"[bench] {benchmark.name} …", flush=True)
            for result in benchmark.measure():
                print(f"        {result.name}: {result.value:.4g} {result.unit} (target {result.target})", flush=True)
                results.append(result)
    context = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "database": database,
        "broker": settings.CELERY_BROKER_URL.split("://")[0],
    }
    write_reports(results, context)
    print("[bench] wrote bench/results.json and docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
