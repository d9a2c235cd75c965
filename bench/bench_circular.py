"""A quarter's circular at province scale (5,000 measures, 300 units): compile, and render.

Beside the compile, in the same run, the plain SQL that computes the same counts (each measure's
worst state over its lead reports, by sector; each unit's on-time, late, missing and returned reports
over the quarter's periods): the compile should stay within 3× of it. Then the DOCX and the PDF.
``python bench/run.py circular`` runs these only.
"""

from __future__ import annotations

import datetime as dt

from bench.harness import Benchmark, QueryCounter, Result, median_of, timed_ms
from bench.synthetic import SCALE_PLAN_NAME

RUNS = 5
TODAY = dt.date(2026, 10, 20)

PLAIN_STATES = """
WITH per_measure AS (
  SELECT r.measure_id,
         MAX(CASE WHEN r.state NOT IN ('submitted', 'accepted') THEN 0
                  WHEN r.progress_status = 'done' THEN 1 WHEN r.progress_status = 'on_track' THEN 2
                  WHEN r.progress_status = 'not_started' THEN 3 WHEN r.progress_status = 'behind' THEN 4
                  ELSE 0 END) AS state_rank
  FROM tasks_app_report r WHERE r.period_id = %s AND r.role = 'lead' GROUP BY r.measure_id)
SELECT t.sector_id, COALESCE(p.state_rank, 0), COUNT(*)
FROM tasks_app_measure m JOIN tasks_app_task t ON t.id = m.task_id
LEFT JOIN per_measure p ON p.measure_id = m.id
WHERE t.plan_id = %s AND m.archived_in_id IS NULL AND t.archived_in_id IS NULL
GROUP BY t.sector_id, COALESCE(p.state_rank, 0)
"""
PLAIN_DISCIPLINE = """
SELECT r.unit_id, COUNT(*),
       COUNT(*) FILTER (WHERE r.first_submitted_at IS NOT NULL
                        AND (r.first_submitted_at AT TIME ZONE 'Asia/Shanghai')::date <= r.due_date),
       COUNT(*) FILTER (WHERE r.first_submitted_at IS NOT NULL
                        AND (r.first_submitted_at AT TIME ZONE 'Asia/Shanghai')::date > r.due_date),
       COUNT(*) FILTER (WHERE r.first_submitted_at IS NULL AND r.due_date < %s),
       COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM tasks_app_reportevent e
                                      WHERE e.report_id = r.id AND e.action = 'return'))
FROM tasks_app_report r WHERE r.period_id = ANY(%s) GROUP BY r.unit_id
"""


def _scope():
    from notifications.circulars.scope import Scope, scope_periods, state_period
    from tasks_app.models import Plan

    plan = Plan.objects.get(name=SCALE_PLAN_NAME)
    scope = Scope(plan, "quarterly", 2026, 3)
    periods = scope_periods(scope)
    return scope, periods, state_period(scope, periods)


def _plain(scope, periods, period) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(PLAIN_STATES, [period.pk, scope.plan.pk])
        cursor.fetchall()
        cursor.execute(PLAIN_DISCIPLINE, [TODAY, [p.pk for p in periods]])
        cursor.fetchall()


def compile_quarter() -> list[Result]:
    from django.db import connection

    from notifications.circulars.services import circular_settings_for
    from notifications.circulars.snapshot import snapshot_compile
    from tasks_app.models import Report

    if connection.vendor != "postgresql":
        return []  # the plain aggregate is PostgreSQL SQL
    scope, periods, period = _scope()
    rules = circular_settings_for(scope.plan)
    reports = Report.objects.filter(period__in=periods).count()
    snapshot_compile(scope, today=TODAY, rules=rules)  # warm up
    with QueryCounter() as queries:
        snapshot = snapshot_compile(scope, today=TODAY, rules=rules)
    compiled, compile_runs = median_of(
        RUNS, lambda: timed_ms(lambda: snapshot_compile(scope, today=TODAY, rules=rules))
    )
    plain, plain_runs = median_of(RUNS, lambda: timed_ms(lambda: _plain(scope, periods, period)))
    note = (
        f"{len(snapshot['measures'])} measures, {len(snapshot['discipline']['units'])} units, "
        f"{len(periods)} periods, {reports} reports; state period {period.label}"
    )
    return [
        Result("circular compile (snapshot + numbers)", compiled, "ms", runs=compile_runs, note=note),
        Result(
            "circular compile: queries",
            queries.count,
            "queries",
            note="constant: pinned by tests/circulars/test_compile.py",
        ),
        Result("circular: plain SQL aggregate of the same counts", plain, "ms", runs=plain_runs),
        Result("circular compile ÷ plain aggregate", compiled / plain, "×", target=3, note="same run"),
    ]


def render_documents() -> list[Result]:
    from django.db import connection

    from notifications.circulars.content import circular_document
    from notifications.circulars.docx import render_docx
    from notifications.circulars.models import Circular
    from notifications.circulars.pdf import render_pdf
    from notifications.circulars.services import circular_settings_for
    from notifications.circulars.snapshot import snapshot_compile

    if connection.vendor != "postgresql":
        return []
    scope, _, _ = _scope()
    rules = circular_settings_for(scope.plan)
    circular = Circular(
        plan=scope.plan,
        kind="quarterly",
        year=2026,
        quarter=3,
        title=scope.title,
        opening="开头。",
        highlights="亮点。",
        requirements="要求。",
        snapshot=snapshot_compile(scope, today=TODAY, rules=rules),
    )
    document = circular_document(circular, rules)
    sizes = {}

    def docx():
        sizes["docx"] = len(render_docx(document))

    def pdf():
        sizes["pdf"] = len(render_pdf(document))

    docx_ms, docx_runs = median_of(3, lambda: timed_ms(docx))
    pdf_ms, pdf_runs = median_of(3, lambda: timed_ms(pdf))
    return [
        Result(
            "circular DOCX", docx_ms / 1000, "s", runs=[r / 1000 for r in docx_runs], note=f"{sizes['docx'] // 1024} KB"
        ),
        Result(
            "circular PDF (headless Chromium)",
            pdf_ms / 1000,
            "s",
            runs=[r / 1000 for r in pdf_runs],
            note=f"{sizes['pdf'] // 1024} KB",
        ),
        Result("circular DOCX + PDF", (docx_ms + pdf_ms) / 1000, "s", target=30, note="medians added"),
    ]


BENCHMARKS = [
    Benchmark("circular compile at province scale", compile_quarter),
    Benchmark("circular documents at province scale", render_documents),
]
