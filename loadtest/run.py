"""``make loadtest``: the deadline-day load test, from an empty database to the figures in docs/benchmarks.md.

1. builds its own PostgreSQL database (``taskboard_ops_load``; ``--database`` or LOADTEST_DATABASE for another):
   a synthetic plan, a year of filed history, this month's period open, one reporter for each of 200 units;
2. starts gunicorn on a free port of 127.0.0.1 with the production settings (DJANGO_DEBUG=0), Redis as
   broker and cache;
3. runs locust headless: 200 reporters log in, open 我的任务 and submit reports with a PNG as evidence;
4. stops gunicorn, checks that every submit the client saw succeed is in the database exactly once,
   prints p50/p95/p99 per request type and writes them to docs/benchmarks.md (``--no-write``: print only).

Exits 1 when a request failed or the count check did not pass, 0 otherwise. Response times are measured,
not asserted: a p95 above target is reported, not failed (this machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUTPUT = ROOT / "loadtest" / "output"
# A person's pace, in seconds: choose a report on 我的任务, fill it in (text typed or pasted, a photo
# attached), glance at the result before the next one. Fast for a person; slower would be easier.
THINK = {"pick": (2, 5), "fill": (20, 40), "between": (1, 3)}


def think_times(scale: float) -> dict[str, list[float]]:
    return {step: [low * scale, high * scale] for step, (low, high) in THINK.items()}


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="截止日压力测试：gunicorn + PostgreSQL + Redis，locust 模拟填报员。")
    parser.add_argument("--database", default=os.environ.get("LOADTEST_DATABASE", "taskboard_ops_load"))
    parser.add_argument("--redis", default=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--users", type=int, default=200, help="模拟填报员人数（每个单位一人）")
    parser.add_argument("--ramp", type=float, default=60, help="在多少秒内陆续登录（默认 60 秒，每秒约 3.3 人）")
    parser.add_argument("--duration", type=int, default=120, help="压测时长（秒）")
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12, help="已报送的历史月数（含本月）")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", 2)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", 4)))
    parser.add_argument(
        "--think-scale", type=float, default=1.0, help="思考时间倍数（1 = 选报告 2-5 秒，填写 20-40 秒，再 1-3 秒）"
    )
    parser.add_argument("--no-write", action="store_true", help="只打印结果，不写入 docs/benchmarks.md")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = arguments(argv)
    from loadtest.world import accounts_write, database_recreate, world_build

    data_dir = OUTPUT / "data"
    shutil.rmtree(data_dir, ignore_errors=True)  # the last run's evidence files and logs
    data_dir.mkdir(parents=True)
    os.environ["DATABASE_URL"] = database_recreate(args.database)
    os.environ["TASKBOARD_DATA_DIR"] = str(data_dir)
    os.environ["CELERY_BROKER_URL"] = args.redis
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskboard.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from bench.harness import machine
    from loadtest import results
    from loadtest.check import count_check
    from loadtest.machine import Watcher, gunicorn_processes, loadavg, postgres_backends
    from loadtest.server import Gunicorn

    started = time.perf_counter()
    print(f"[loadtest] 数据库 {args.database}：{args.users} 个单位、{args.measures} 项举措、{args.months} 个月报告 …")
    world = world_build(units=args.users, measures=args.measures, months=args.months)
    connection.close()
    print(
        f"[loadtest] 已生成：{world['reports']} 份报告，其中本期待填报 {world['open_reports']} 份，"
        f"{world['units']} 个填报员账号（{time.perf_counter() - started:.0f} 秒）"
    )
    accounts_file, samples_file = OUTPUT / "accounts.json", OUTPUT / "samples.json"
    accounts_write(accounts_file, world["accounts"])
    samples_file.unlink(missing_ok=True)

    server = Gunicorn(
        database_url=os.environ["DATABASE_URL"],
        broker_url=args.redis,
        cache_url=args.redis,
        data_dir=data_dir,
        workers=args.workers,
        threads=args.threads,
    )
    with server:
        print(f"[loadtest] gunicorn {server.url}（{args.workers} 进程 × {args.threads} 线程），{args.users} 人 …")
        since = timezone.now()
        watcher = Watcher(
            {"gunicorn": gunicorn_processes(server.process.pid), "PostgreSQL": postgres_backends(args.database)}
        )
        watcher.start()
        locust_started = time.perf_counter()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run_locust(args, server.url, accounts_file, samples_file)
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        elapsed = time.perf_counter() - locust_started
        watcher.stop()
        cpu = {
            "gunicorn": watcher.cpu_seconds("gunicorn"),
            "PostgreSQL": watcher.cpu_seconds("PostgreSQL"),
            "locust": cpu_after.ru_utime + cpu_after.ru_stime - cpu_before.ru_utime - cpu_before.ru_stime,
        }
    load_after = os.getloadavg()

    if not samples_file.exists():
        print("[loadtest] locust 没有写出结果文件", file=sys.stderr)
        return 1
    output = json.loads(samples_file.read_text(encoding="utf-8"))
    samples = [tuple(s) for s in output["samples"]]
    check = count_check(output["submits"], since=since)
    rows = results.table(samples)
    print_table(rows)
    print(f"[loadtest] {check.summary()}")
    for problem in check.problems():
        print(f"  - {problem}")
    overall = rows[-1]
    context = {
        "date": dt.datetime.now().astimezone().isoformat(sep=" ", timespec="minutes"),
        "machine": machine(),
        "gunicorn": f"{args.workers} workers × {args.threads} threads (gthread)"
        if args.threads > 1
        else f"{args.workers} sync workers",
        "scenario": scenario(args, world),
        "load_before": loadavg(watcher.load_before),
        "load_peak": loadavg(watcher.load_peak),
        "load_after": loadavg(load_after),
        "throughput": f"{overall.count} requests in {elapsed:.0f} s ({overall.count / elapsed:.1f}/s); "
        f"{check.accepted} reports submitted ({check.accepted / elapsed * 60:.0f}/min).",
        "check_passed": check.passed,
        "cpu": "CPU time used: "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in cpu.items())
        + f" ({sum(cpu.values()) / elapsed:.2f} of 2 cores on average); gunicorn "
        f"{cpu['gunicorn'] * 1000 / max(1, overall.count):.1f} ms and PostgreSQL "
        f"{cpu['PostgreSQL'] * 1000 / max(1, overall.count):.1f} ms per request.",
    }
    for key in ("load_before", "load_peak", "load_after", "throughput", "cpu"):
        print(f"[loadtest] {key}: {context[key]}")
    if not args.no_write:
        results.write(context, rows, check.summary())
        print("[loadtest] 已写入 docs/benchmarks.md 和 loadtest/results.json")
    return 0 if check.passed and overall.errors == 0 else 1


def run_locust(args: argparse.Namespace, url: str, accounts_file: Path, samples_file: Path) -> None:
    env = dict(
        os.environ,
        LOADTEST_ACCOUNTS=str(accounts_file),
        LOADTEST_OUTPUT=str(samples_file),
        LOADTEST_THINK=json.dumps(think_times(args.think_scale)),
    )
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "loadtest" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        f"{args.users / args.ramp:.3f}",
        "--run-time",
        f"{args.duration}s",
        # At the end each reporter finishes the report in hand: no submit is cut off half-way,
        # so the count check knows the outcome of every one.
        "--stop-timeout",
        "60",
        "--host",
        url,
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    # locust exits 1 when any request failed; the figures and the count check say which, below.
    subprocess.run(command, cwd=ROOT, env=env, check=False)


def scenario(args: argparse.Namespace, world: dict) -> str:
    think = {step: "-".join(f"{v:g}" for v in values) for step, values in think_times(args.think_scale).items()}
    return (
        f"{args.users} reporters of {world['units']} units (one each) log in over "
        f"{args.ramp:g} s and for {args.duration} s file their open reports: 我的任务, "
        f"pick a report, open it, fill it in, submit it with a 12 KB PNG, see it again. Think time "
        f"{think['pick']} s to pick, {think['fill']} s to fill in, {think['between']} s before the next report. "
        f"Plan: {world['measures']} measures, "
        f"{world['reports']} reports over {args.months} months, {world['open_reports']} open this month. "
        "Locust (FastHttpUser) runs on the same 2 cores."
    )


def print_table(rows) -> None:
    print(f"{'请求':<36}{'次数':>8}{'错误':>6}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}  (ms)")
    for row in rows:
        print(
            f"{row.name:<36}{row.count:>8}{row.errors:>6}{row.p50:>8.0f}{row.p95:>8.0f}{row.p99:>8.0f}{row.max:>8.0f}"
        )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
