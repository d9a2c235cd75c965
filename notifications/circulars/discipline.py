"""Reporting discipline over a quarter (a year): per unit, on time, late by how many working days,
missing, returned — and who is named (点名通报) by the office's rule.

Counted like the rest of the system (``tasks_app.insights.discipline``): a report counts by its FIRST
submission against its deadline, in Asia/Shanghai days; not filed and past the deadline is missing.
Counting happens in the database; only (unit × deadline × filing day) groups come back for the
working-day arithmetic, so the cost does not grow with the number of measures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate

from notifications.circulars.models import CircularSettings
from tasks_app.models import Period, Report, ReportEvent
from tasks_app.workdays import WorkCalendar

FILED = Q(first_submitted_at__isnull=False)


def _returned() -> Exists:
    return Exists(ReportEvent.objects.filter(report=OuterRef("pk"), action=ReportEvent.Action.RETURN))


def scope_discipline(
    periods: list[Period], today: dt.date, calendar: WorkCalendar, rules: CircularSettings
) -> dict[str, object]:
    """Every unit asked to report in ``periods``, named ones first: three queries."""
    reports = Report.objects.filter(period__in=[p.pk for p in periods]).order_by()
    rows = reports.values("unit_id", "unit__name", "unit__sort_order").annotate(
        total=Count("pk"),
        on_time=Count("pk", filter=FILED & Q(first_submitted_at__date__lte=F("due_date"))),
        late=Count("pk", filter=FILED & Q(first_submitted_at__date__gt=F("due_date"))),
        missing=Count("pk", filter=~FILED & Q(due_date__lt=today)),
        pending=Count("pk", filter=~FILED & Q(due_date__gte=today)),
        returned=Count("pk", filter=_returned()),
    )
    units = {
        row["unit_id"]: {
            "unit_id": row["unit_id"],
            "name": row["unit__name"],
            "sort_order": row["unit__sort_order"],
            **{key: row[key] for key in ("total", "on_time", "late", "missing", "pending", "returned")},
            "late_max_workdays": 0,
            "late_beyond_grace": 0,
            "missing_max_workdays": 0,
        }
        for row in rows
    }
    late_groups = (
        reports.filter(FILED & Q(first_submitted_at__date__gt=F("due_date")))
        .values("unit_id", "due_date", filed_on=TruncDate("first_submitted_at"))
        .annotate(n=Count("pk"))
    )
    for group in late_groups:
        unit = units[group["unit_id"]]
        days = calendar.workdays_between(group["due_date"], group["filed_on"])
        unit["late_max_workdays"] = max(unit["late_max_workdays"], days)
        if days > rules.late_grace_workdays:
            unit["late_beyond_grace"] += group["n"]
    for group in reports.filter(~FILED & Q(due_date__lt=today)).values("unit_id", "due_date").distinct():
        unit = units[group["unit_id"]]
        unit["missing_max_workdays"] = max(
            unit["missing_max_workdays"], calendar.workdays_between(group["due_date"], today)
        )

    for unit in units.values():
        unit["reasons"] = naming_reasons(unit, rules)
        unit["named"] = bool(unit["reasons"])
    ordered = sorted(
        units.values(),
        key=lambda u: (not u["named"], -u["missing"], -u["late"], u["sort_order"], u["name"]),
    )
    totals = {
        key: sum(u[key] for u in ordered) for key in ("total", "on_time", "late", "missing", "pending", "returned")
    }
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
