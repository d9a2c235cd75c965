"""Filing pages at province scale: 我的任务 of a unit with about 100 measures, and the office queue."""

from __future__ import annotations

from django.db.models import Count
from django.test import Client

from bench.harness import Benchmark, QueryCounter, Result, median_of, timed_ms

RUNS = 15


def _unit_with_about(measures: int):
    from tasks_app.models import Period, Report

    latest = Period.objects.order_by("-start_date").first()
    counts = (
        Report.objects.filter(period=latest).values("unit_id").annotate(n=Count("measure_id", distinct=True)).order_by()
    )
    best = min(counts, key=lambda row: abs(row["n"] - measures))
    return best["unit_id"], best["n"]


def _client_for(role: str, unit_id=None) -> Client:
    from tasks_app.models import Unit, User
    from tasks_app.services.accounts import user_create

    username = f"bench-{role}-{unit_id or 'none'}"
    user = User.objects.filter(username=username).first() or user_create(
        username=username, role=role, unit=Unit.objects.get(pk=unit_id) if unit_id else None
    )
    client = Client()
    client.force_login(user)
    return client


def _page(name: str, client: Client, url: str, target_ms: float | None, note: str) -> list[Result]:
    client.get(url)
    with QueryCounter() as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    value, runs = median_of(RUNS, lambda: timed_ms(lambda: client.get(url)))
    return [
        Result(f"{name}: server time", value, "ms", target=target_ms, runs=runs, note=note),
        Result(f"{name}: queries", queries.count, "queries", note="pinned by tests/test_filing_queries.py"),
    ]


def my_tasks() -> list[Result]:
    from tasks_app.models import Report

    unit_id, measures = _unit_with_about(100)
    open_reports = Report.objects.filter(unit_id=unit_id, state__in=("requested", "draft", "returned")).count()
    note = f"unit with {measures} measures, {open_reports} open reports, 60 months of history"
    return _page("我的任务", _client_for("reporter", unit_id), "/my/", 50, note)


def review_queue() -> list[Result]:
    from tasks_app.models import Report

    submitted = Report.objects.filter(state="submitted").count()
    return _page(
        "office review queue", _client_for("office"), "/review/", None, f"{submitted} submitted reports, 50 per page"
    )


BENCHMARKS = [Benchmark("filing: my tasks", my_tasks), Benchmark("filing: review queue", review_queue)]
