"""Reporting discipline over a quarter (a year): per unit, on time, late by how many working days,
missing, returned — and who is named (点名通报) by the office's rule.

Counted like the rest of the system (``tasks_app.insights.discipline``): a report counts by its FIRST
submission against its deadline, in Asia/Shanghai days; not filed and past the deadline is missing.
Counting happens in the database; only (unit × deadline × filing day) groups come back for the
working-day arithmetic, so the cost grows with the units and days, not with the number of measures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.db.models.functions import TruncDate

from notifications.circulars.models import CircularSettings
from tasks_app.models import Period, Report, ReportEvent, Unit
from tasks_app.workdays import WorkCalendar

COUNTS = ("total", "on_time", "late", "missing", "pending", "returned")


def scope_discipline(
    periods: list[Period], today: dt.date, calendar: WorkCalendar, rules: CircularSettings
) -> dict[str, object]:
    """Every unit asked to report in ``periods``, named ones first: three queries.

    The database counts reports per (unit, deadline, day of first filing) — narrow groups it can hash
    in memory — and, apart, the reports returned at least once per unit (events are few); Python adds
    the groups up per unit and counts the working days late of each group once.
    """
    period_ids = [p.pk for p in periods]
    groups = (
        Report.objects.filter(period__in=period_ids)
        .order_by()
        .values("unit_id", "due_date", filed_on=TruncDate("first_submitted_at"))
        .annotate(n=Count("pk"))
    )
    returned = dict(
        ReportEvent.objects.filter(action=ReportEvent.Action.RETURN, report__period__in=period_ids)
        .order_by()
        .values("report__unit_id")
        .annotate(n=Count("report_id", distinct=True))
        .values_list("report__unit_id", "n")
    )
    units: dict[int, dict] = {}
    for group in groups:
        unit = units.get(group["unit_id"])
        if unit is None:
            unit = units[group["unit_id"]] = {
                "unit_id": group["unit_id"],
                **dict.fromkeys(COUNTS, 0),
                "returned": returned.get(group["unit_id"], 0),
                "late_max_workdays": 0,
                "late_beyond_grace": 0,
                "missing_max_workdays": 0,
            }
        n, due, filed_on = group["n"], group["due_date"], group["filed_on"]
        unit["total"] += n
        if filed_on is not None and filed_on <= due:
            unit["on_time"] += n
        elif filed_on is not None:
            days = calendar.workdays_between(due, filed_on)
            unit["late"] += n
            unit["late_max_workdays"] = max(unit["late_max_workdays"], days)
            unit["late_beyond_grace"] += n if days > rules.late_grace_workdays else 0
        elif due < today:
            unit["missing"] += n
            unit["missing_max_workdays"] = max(unit["missing_max_workdays"], calendar.workdays_between(due, today))
        else:
            unit["pending"] += n

    for pk, name, sort_order in Unit.objects.filter(pk__in=list(units)).values_list("pk", "name", "sort_order"):
        units[pk] |= {"name": name, "sort_order": sort_order}
    for unit in units.values():
        unit["reasons"] = naming_reasons(unit, rules)
        unit["named"] = bool(unit["reasons"])
    ordered = sorted(
        units.values(),
        key=lambda u: (not u["named"], -u["missing"], -u["late"], u["sort_order"], u["name"]),
    )
    totals = {key: sum(u[key] for u in ordered) for key in COUNTS}
    return {"units": ordered, "totals": totals, "named": [u for u in ordered if u["named"]]}


def naming_reasons(unit: dict, rules: CircularSettings) -> list[str]:
    """Why a unit is named, in the words of the circular; empty when it is not."""
    reasons = []
    if rules.name_if_missing_at_least and unit["missing"] >= rules.name_if_missing_at_least:
        reasons.append(f"未报送 {unit['missing']} 项")
    if rules.name_if_late_at_least and unit["late_beyond_grace"] >= rules.name_if_late_at_least:
        reasons.append(f"逾期报送 {unit['late']} 项（最长逾期 {unit['late_max_workdays']} 个工作日）")
    return reasons


def discipline_by_unit_id(discipline: dict) -> dict[int, dict]:
    return {unit["unit_id"]: unit for unit in discipline["units"]}


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def unit_rates(unit: dict) -> dict[str, float | None]:
    """On-time rate over the reports already due; returned rate over the reports filed."""
    due = unit["total"] - unit["pending"]
    filed = unit["on_time"] + unit["late"]
    return {"on_time_rate": rate(unit["on_time"], due), "returned_rate": rate(unit["returned"], filed)}


def group_by(items, key) -> dict:
    grouped: dict = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return grouped
