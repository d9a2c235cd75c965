"""Phase targets at the end of a quarter (a year): which are met, overdue, at risk.

Each numbered item of a measure's target for the current phase (筑基期 until 2027) is judged:
- met (已完成): the quantitative targets stated in the item are reached by the lead units' filed
  figures, or — for an item without figures — the measure itself is reported 已完成;
- overdue (已逾期): not met and its deadline (stated in the text, else the phase end) has passed by
  the end of the quarter;
- at risk (存在风险): not met, not overdue, and the measure is 滞后 — or its deadline falls within
  half a year and the measure is not 正常推进.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import OuterRef, QuerySet, Subquery

from notifications.circulars.deadlines import target_deadline
from tasks_app.measure_status import MeasureState, MeasureStatus
from tasks_app.models import (
    FILED_STATES,
    Measure,
    Phase,
    PhaseTarget,
    Plan,
    Report,
    ReportFigure,
    TargetMetric,
    split_target_items,
)

RISK_HORIZON = dt.timedelta(days=183)
RULE_TEXT = (
    "已完成：目标所列量化指标已达到，或举措已完成；"
    "已逾期：目标时限（未写明的以阶段末为限）已过仍未完成；"
    "存在风险：举措滞后，或目标时限在半年内而举措未正常推进。"
)


def current_phase(plan: Plan, day: dt.date) -> Phase | None:
    phases = list(Phase.objects.filter(plan=plan).order_by("ordinal"))
    return next((p for p in phases if p.contains(day)), phases[-1] if phases and day > phases[-1].end_date else None)


def _metric_values(current: QuerySet[Measure], phase: Phase, until: dt.date) -> dict[int, list[dict]]:
    """The phase's quantitative targets of the measures, each with the latest filed lead figure up to
    ``until``: one query (a correlated subquery per metric)."""
    latest = ReportFigure.objects.filter(
        metric=OuterRef("pk"),
        report__role=Report.Role.LEAD,
        report__state__in=FILED_STATES,
        report__period__end_date__lte=until,
    ).order_by("-report__period__end_date", "-report__submitted_at")
    rows = (
        TargetMetric.objects.filter(measure__in=current, phase=phase)
        .annotate(latest=Subquery(latest.values("value")[:1]))
        .values("measure_id", "name", "unit_of_measure", "target_value", "source_text", "latest")
    )
    by_measure: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_measure[row["measure_id"]].append(row)
    return by_measure


def _item_met(item: str, metrics: list[dict], status: MeasureStatus) -> bool:
    mine = [m for m in metrics if m["source_text"] and m["source_text"] in item]
    if mine:
        return all(m["latest"] is not None and m["latest"] >= m["target_value"] for m in mine)
    return status.state == MeasureState.DONE


def target_outcomes(
    plan: Plan,
    until: dt.date,
    current: QuerySet[Measure],
    measures: list[dict],
    statuses: dict[int, MeasureStatus],
    unreported: MeasureStatus,
) -> dict[str, object]:
    """Queries: phases; targets; metrics with their latest figures."""
    phase = current_phase(plan, until)
    if phase is None:
        return {"phase": "", "rule": RULE_TEXT, "counts": {}, "met": [], "overdue": [], "at_risk": []}
    by_id = {m["id"]: m for m in measures}
    targets = PhaseTarget.objects.filter(measure__in=current, phase=phase).values_list("measure_id", "text")
    metrics = _metric_values(current, phase, until)
    outcome: dict[str, list[dict]] = {"met": [], "overdue": [], "at_risk": []}
    open_items = 0
    risk_until = until + RISK_HORIZON
    for measure_id, text in targets:
        status = statuses.get(measure_id, unreported)
        for item in split_target_items(text):
            deadline = target_deadline(item, phase.start_date, phase.end_date)
            if _item_met(item, metrics.get(measure_id, ()), status):
                key = "met"
            elif deadline.day <= until:
                key = "overdue"
            elif status.state == MeasureState.BEHIND or (
                deadline.day <= risk_until and status.state != MeasureState.ON_TRACK
            ):
                key = "at_risk"
            else:
                open_items += 1  # on track: counted, not listed
                continue
            measure = by_id[measure_id]
            outcome[key].append(
                {
                    "code": measure["code"],
                    "lead": measure["lead"],
                    "item": item,
                    "deadline": deadline.day.isoformat(),
                    "deadline_explicit": deadline.explicit,
                    "state": status.state.value,
                }
            )
    counts = {key: len(items) for key, items in outcome.items()} | {"open": open_items}
    return {
        "phase": phase.header,
        "phase_name": phase.name,
        "rule": RULE_TEXT,
        "counts": counts,
        "met": outcome["met"],
        "overdue": outcome["overdue"],
        "at_risk": outcome["at_risk"],
    }
