"""Filing at province scale: 我的任务 of a unit with about 100 measures, the office queue, and the rest of
a reporter's journey (a report page, a submit with an evidence file)."""

from __future__ import annotations

import statistics
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.test import Client, override_settings

from bench.harness import Benchmark, QueryCounter, Result, analyze_database, median_of, timed_ms

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


def _page(
    name: str,
    client: Client,
    url: str,
    target_ms: float | None,
    note: str,
    pinned="pinned by tests/test_filing_queries.py",
) -> list[Result]:
    client.get(url)
    with QueryCounter() as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    value, runs = median_of(RUNS, lambda: timed_ms(lambda: client.get(url)))
    return [
        Result(f"{name}: server time", value, "ms", target=target_ms, runs=runs, note=note),
        Result(f"{name}: queries", queries.count, "queries", note=pinned),
    ]


def my_tasks() -> list[Result]:
    from tasks_app.models import Report

    analyze_database()
    unit_id, measures = _unit_with_about(100)
    open_reports = Report.objects.filter(unit_id=unit_id, state__in=("requested", "draft", "returned")).count()
    note = f"unit with {measures} measures, {open_reports} open reports, 60 months of history; after VACUUM ANALYZE"
    return _page("我的任务", _client_for("reporter", unit_id), "/my/", 50, note)


def review_queue() -> list[Result]:
    from tasks_app.models import Report

    submitted = Report.objects.filter(state="submitted").count()
    return _page(
        "office review queue", _client_for("office"), "/review/", None, f"{submitted} submitted reports, 50 per page"
    )


def report_page() -> list[Result]:
    """The journey's second step: a lead unit's draft, beside the supporting units' reports."""
    from tasks_app.models import Period, Report

    latest = Period.objects.order_by("-start_date").first()
    report = Report.objects.filter(period=latest, role="lead", state="draft").order_by("pk").first()
    siblings = Report.objects.filter(period=latest, measure_id=report.measure_id).count() - 1
    return _page(
        "report page, lead unit's draft",
        _client_for("reporter", report.unit_id),
        f"/reports/{report.pk}/",
        None,
        f"{siblings} other units' reports on the measure beside the form",
        pinned="pinned by tests/test_filing_queries.py (a lead report)",
    )


EVIDENCE = b"%PDF-1.4\n" + b"0" * 200_000 + b"\n%%EOF\n"


class _RolledBack(Exception):
    pass


def submit() -> list[Result]:
    """The journey's last step: submit an open report with a 200 KB PDF. Each POST runs in a transaction
    that is then rolled back, so the bench database stays as seeded; the commit is not in the figure."""
    from tasks_app.models import Report

    unit_id, _ = _unit_with_about(100)
    client = _client_for("reporter", unit_id)
    report = Report.objects.filter(unit_id=unit_id, state="draft").order_by("pk").first()
    data = {"progress_status": "on_track", "progress": "完成阶段性工作。", "next_steps": "继续推进。"}

    def post(counter: QueryCounter | None = None) -> float:
        upload = SimpleUploadedFile("佐证材料.pdf", EVIDENCE, content_type="application/pdf")
        form = data | {"version": report.version, "action": "submit", "evidence": upload}
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            try:
                with transaction.atomic():
                    with counter or QueryCounter():
                        elapsed = timed_ms(lambda: _expect_redirect(client.post(f"/reports/{report.pk}/", form)))
                    raise _RolledBack
            except _RolledBack:
                return elapsed

    post()
    counter = QueryCounter()
    post(counter)
    runs = [post() for _ in range(RUNS)]
    note = "200 KB PDF; own unit's draft; rolled back after each run (the commit is not counted)"
    return [
        Result("submit with an evidence file: server time", statistics.median(runs), "ms", runs=runs, note=note),
        Result(
            "submit with an evidence file: queries",
            counter.count,
            "queries",
            note="with the 2 savepoints of running inside the rolled-back transaction",
        ),
    ]


def _expect_redirect(response) -> None:
    assert response.status_code == 302, response.status_code


BENCHMARKS = [
    Benchmark("filing: my tasks", my_tasks),
    Benchmark("filing: review queue", review_queue),
    Benchmark("filing: report page", report_page),
    Benchmark("filing: submit", submit),
]
