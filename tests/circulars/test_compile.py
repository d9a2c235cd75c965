"""Compiling a circular: a frozen snapshot of the quarter, the system's own numbers, exactly once."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from notifications.circulars.deadlines import target_deadline
from notifications.circulars.scope import Scope, parse_quarter, scope_periods, state_period
from notifications.circulars.services import (
    circular_compile,
    circular_request_compile,
    circular_save_narrative,
    circular_schedule,
    circular_settings_for,
)
from notifications.circulars.snapshot import snapshot_compile
from notifications.models import Circular
from tasks_app.measure_status import MeasureState, measure_statuses
from tasks_app.models import PhaseTarget
from tests.circulars.conftest import compile_scope
from tests.support.reporting import file_report, lead_report

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_quarter_is_parsed_with_a_clear_error_when_written_wrong():
    assert parse_quarter("2026Q4") == (2026, 4)
    assert parse_quarter(" 2027q1 ") == (2027, 1)
    with pytest.raises(ValueError, match="应写作“2026Q4”"):
        parse_quarter("2026-4")


def test_deadlines_are_read_from_the_target_texts():
    start, end = D(2026, 1, 1), D(2027, 12, 31)
    assert target_deadline("到2026年底，完成驾驶试验应用", start, end).day == D(2026, 12, 31)
    assert target_deadline("预计2028年底前提交自治区政府", start, end).day == D(2028, 12, 31)
    assert target_deadline("在未来2年内实现3-5个短缺机型突破", start, end).day == D(2027, 12, 31)
    assert target_deadline("细化建设方案，确保年内实质性开展前期手续", start, end).day == D(2026, 12, 31)
    assert target_deadline("每年一季度完成项目库评估更新", start, end) == target_deadline("", start, end)
    phase_end = target_deadline("持续优化营商环境", start, end)
    assert phase_end.day == end and not phase_end.explicit and phase_end.label == "2027年12月31日前（阶段末）"


def test_the_quarter_is_judged_by_its_own_quarterly_period(q3):
    scope = Scope(q3.plan, "quarterly", 2026, 3)
    periods = scope_periods(scope)
    assert [p.label for p in periods] == [
        "2026年7月 月调度",
        "2026年8月 月调度",
        "2026年9月 月调度",
        "2026年第三季度 季通报",
    ]
    assert state_period(scope, periods) == q3.quarter
    with pytest.raises(ValueError, match="不在方案"):
        Scope(q3.plan, "quarterly", 2031, 1)


def test_the_overview_counts_what_every_page_of_the_system_counts(q3):
    circular = compile_scope(q3.plan, 2026, 3, q3.compiled_on)
    statuses = measure_statuses(q3.quarter, q3.compiled_on)
    expected = Counter(s.state.value for s in statuses.values())
    expected["unreported"] += 52 - len(statuses)
    overall = circular.snapshot["overview"]["overall"]
    assert overall["states"] == {state: expected[state] for state in overall["states"]}
    assert (overall["states"]["done"], overall["states"]["behind"], overall["states"]["on_track"]) == (1, 1, 1)
    sectors = [s for part in circular.snapshot["overview"]["parts"] for s in part["sectors"]]
    assert sum(s["total"] for s in sectors) == 52
    assert next(s for s in sectors if s["label"] == "煤炭产业")["states"]["done"] == 1


def test_a_report_filed_after_the_snapshot_changes_nothing_until_the_office_recompiles(q3, office):
    circular = compile_scope(q3.plan, 2026, 3, q3.compiled_on)
    taken = circular.snapshot
    file_report(lead_report(q3.quarter, "2"), status="done", progress="智能化改造全部完成。", on=D(2026, 10, 16))
    circular.refresh_from_db()
    assert circular.snapshot == taken and taken["overview"]["overall"]["states"]["done"] == 1

    circular_save_narrative(
        circular=circular, user=office, title=circular.title, opening="开头", highlights="亮点", requirements="要求"
    )
    circular_request_compile(circular=circular, user=office, enqueue=False)
    assert circular_compile(circular_id=circular.pk, today=D(2026, 10, 16))
    circular.refresh_from_db()
    assert circular.snapshot["overview"]["overall"]["states"]["done"] == 2
    assert (circular.opening, circular.highlights, circular.requirements) == ("开头", "亮点", "要求")  # kept


def test_the_change_from_last_quarter(q3):
    from tasks_app.services.cadence import cadence_for
    from tasks_app.services.periods import period_open

    second = period_open(cadence=cadence_for(q3.plan, "quarterly"), day=D(2026, 4, 1)).period
    file_report(lead_report(second, "3"), status="on_track", progress="勘查推进中。")
    circular = compile_scope(q3.plan, 2026, 3, q3.compiled_on)
    overview = circular.snapshot["overview"]
    assert overview["previous_label"] == "2026年第二季度 季通报"
    assert overview["overall"]["previous"]["done"] == 0 and overview["overall"]["previous"]["on_track"] == 1
    document = str(circular_document_of(circular))
    assert "与上期（2026年第二季度 季通报）相比，已完成增加1项" in document


def circular_document_of(circular):
    from notifications.circulars.content import circular_document

    return circular_document(circular, circular_settings_for(circular.plan))


def test_phase_targets_met_overdue_and_at_risk(q3):
    from tasks_app.services.cadence import cadence_for
    from tasks_app.services.periods import period_open

    q4 = period_open(cadence=cadence_for(q3.plan, "quarterly"), day=D(2026, 10, 1)).period
    code = "28"  # its 筑基期 target asks for the project library to be in place 年内 (by the end of 2026)
    file_report(lead_report(q4, "3"), status="done", progress="完成。")
    file_report(lead_report(q4, "6"), status="behind", problems="用地预审未通过。")
    circular = compile_scope(q3.plan, 2026, 4, D(2027, 1, 12))
    targets = circular.snapshot["targets"]
    assert targets["phase"] == "2026-2027年（筑基期）"
    assert {e["code"] for e in targets["met"]} == {"3"}
    overdue = [e for e in targets["overdue"] if e["code"] == code]
    assert overdue and all(e["deadline"] == "2026-12-31" for e in overdue)
    assert "6" in {e["code"] for e in targets["at_risk"]}  # 滞后: at risk even with a year to go
    counts = targets["counts"]
    items = sum(len(t.items) for t in PhaseTarget.objects.filter(phase__ordinal=1, measure__archived_in=None))
    assert sum(counts.values()) == items


def test_the_compile_costs_the_same_queries_whatever_the_number_of_measures(q3, django_assert_num_queries):
    """Queries: calendar ×2; periods ×2 (this and last quarter); measures; lead units; states; sectors;
    (last quarter's counts, when it had a period: not here); discipline ×3 (groups, returned, unit names);
    lead texts; phases; targets; metrics; indicators ×3 — 18, none per measure or per unit."""
    from bench.synthetic import generate_tasklist, generate_units
    from tasks_app.services.cadence import cadences_load
    from tasks_app.services.indicators import indicators_load
    from tasks_app.services.periods import period_open
    from tasks_app.services.plans import plan_get_or_create
    from tasks_app.tasklist.apply import apply_tasklist

    rules = circular_settings_for(q3.plan)
    with django_assert_num_queries(18):
        snapshot_compile(Scope(q3.plan, "quarterly", 2026, 3), today=q3.compiled_on, rules=rules)

    import random

    rng = random.Random(7)
    bigger = plan_get_or_create(name="合成方案（400项举措）")
    apply_tasklist(plan=bigger, tasklist=generate_tasklist(400, generate_units(40, rng), rng), source_name="t")
    from django.conf import settings

    cadences_load(plan=bigger, path=settings.ANNEX1_CADENCES_FIXTURE)
    indicators_load(plan=bigger, path=settings.ANNEX1_INDICATORS_FIXTURE)
    quarterly = bigger.cadences.get(code="quarterly")
    period = period_open(cadence=quarterly, day=D(2026, 7, 1)).period
    for report in period.reports.filter(role="lead")[:50]:
        file_report(report, status="on_track", progress="推进中。")
    rules = circular_settings_for(bigger)
    with django_assert_num_queries(18):
        data = snapshot_compile(Scope(bigger, "quarterly", 2026, 3), today=q3.compiled_on, rules=rules)
    assert data["overview"]["overall"]["total"] == 400 and len(data["measures"]) == 400


def test_scheduling_a_quarter_twice_makes_one_draft_and_an_issued_quarter_none(q3, office):
    scope = Scope(q3.plan, "quarterly", 2026, 3)
    first, created = circular_schedule(scope=scope, enqueue=False)
    again, created_again = circular_schedule(scope=scope, enqueue=False)
    assert created and not created_again and first == again
    assert Circular.objects.count() == 1

    from notifications.circulars.services import circular_issue, scopes_due

    circular_compile(circular_id=first.pk, today=q3.compiled_on)
    issued = circular_issue(circular=first, user=office, issued_on=D(2026, 10, 16))
    assert circular_schedule(scope=scope, enqueue=False) == (issued, False)
    q3.quarter.collected_at = timezone.now()
    q3.quarter.save(update_fields=["collected_at"])
    assert scopes_due(D(2026, 10, 20)) == []  # collected, but its circular exists: nothing to draft
    Circular.objects.all().delete()
    assert [s.quarter for s in scopes_due(D(2026, 10, 20))] == [3]


def test_a_second_compile_of_the_same_request_finds_nothing_to_claim(q3):
    circular, _ = circular_schedule(scope=Scope(q3.plan, "quarterly", 2026, 3), enqueue=False)
    assert circular_compile(circular_id=circular.pk, today=q3.compiled_on) is True
    assert circular_compile(circular_id=circular.pk, today=q3.compiled_on) is False


def test_a_compile_left_by_a_dead_worker_is_taken_over_once_its_heartbeat_is_stale(q3):
    circular, _ = circular_schedule(scope=Scope(q3.plan, "quarterly", 2026, 3), enqueue=False)
    Circular.objects.filter(pk=circular.pk).update(
        compile_state="running", compile_heartbeat_at=timezone.now() - dt.timedelta(minutes=2)
    )
    assert circular_compile(circular_id=circular.pk, today=q3.compiled_on) is False  # still alive, maybe
    Circular.objects.filter(pk=circular.pk).update(compile_heartbeat_at=timezone.now() - dt.timedelta(minutes=11))
    assert circular_compile(circular_id=circular.pk, today=q3.compiled_on) is True
    assert Circular.objects.get(pk=circular.pk).compile_state == "idle"


@pytest.mark.django_db(transaction=True)
def test_two_compiles_at_once_compile_once(annex1_committed):
    import datetime as dt

    from tasks_app.services.cadence import cadence_for
    from tasks_app.services.periods import period_open

    period_open(cadence=cadence_for(annex1_committed, "quarterly"), day=D(2026, 7, 1))
    circular, _ = circular_schedule(scope=Scope(annex1_committed, "quarterly", 2026, 3), enqueue=False)
    results, barrier = [], threading.Barrier(2)

    def compile_it():
        barrier.wait()
        try:
            results.append(circular_compile(circular_id=circular.pk, today=dt.date(2026, 10, 15)))
        finally:
            connection.close()

    threads = [threading.Thread(target=compile_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert Circular.objects.get(pk=circular.pk).snapshot["overview"]["overall"]["total"] == 52
    assert (
        MeasureState.UNREPORTED.value in Circular.objects.get(pk=circular.pk).snapshot["overview"]["overall"]["states"]
    )
