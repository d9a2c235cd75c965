"""举措台账: every measure with its state, light, units and latest progress, filtered the way the
dashboard's numbers link to it. The page and its XLSX export read the same rows.

Scoped like every page: a unit user sees the measures of their unit (``measures_for``) and the text
of a report only when ``reports_for`` lets them read it; state and light are shown for every measure
they can see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, QuerySet, Subquery

from tasks_app.access import measures_for, reports_for, sees_everything
from tasks_app.insights.dashboard import NOT_REQUESTED
from tasks_app.insights.discipline import Kind, discipline_filter
from tasks_app.insights.params import query_id
from tasks_app.lights import Light
from tasks_app.measure_status import MeasureState, MeasureStatus, measure_statuses
from tasks_app.models import FILED_STATES, Measure, MeasureUnit, Period, Plan, Report, User

PER_PAGE = 100


@dataclass
class LedgerFilters:
    state: str = ""
    light: str = ""
    part: int | None = None
    sector: int | None = None
    lead_unit: int | None = None
    discipline: str = ""
    reporter: int | None = None  # with ``discipline``: that unit's reports only

    @classmethod
    def from_query(cls, query) -> LedgerFilters:
        def number(name: str) -> int | None:
            return query_id(query.get(name))

        state = query.get("state", "")
        light = query.get("light", "")
        discipline = query.get("discipline", "")
        return cls(
            state=state if state in MeasureState.values else "",
            light=light if light in Light.values else "",
            part=number("part"),
            sector=number("sector"),
            lead_unit=number("lead_unit"),
            discipline=discipline if discipline in Kind.ALL else "",
            reporter=number("reporter"),
        )

    def as_query(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}

    @property
    def any(self) -> bool:
        return bool(self.as_query())


@dataclass
class LedgerRow:
    measure: Measure
    status: MeasureStatus
    lead_units: list[str] = field(default_factory=list)
    support_units: list[str] = field(default_factory=list)
    latest: Report | None = None  # the latest filed lead report up to the period, if the user may read it


def _measures(user: User, plan: Plan, filters: LedgerFilters, period: Period, today: dt.date) -> QuerySet[Measure]:
    measures = Measure.objects.filter(task__plan=plan, archived_in__isnull=True, task__archived_in__isnull=True)
    if not sees_everything(user):
        measures = measures.filter(pk__in=measures_for(user).values("pk"))
    if filters.part is not None:
        measures = measures.filter(task__sector__part_id=filters.part)
    if filters.sector is not None:
        measures = measures.filter(task__sector_id=filters.sector)
    if filters.lead_unit is not None:
        measures = measures.filter(
            pk__in=MeasureUnit.objects.filter(role=MeasureUnit.Role.LEAD, unit_id=filters.lead_unit).values(
                "measure_id"
            )
        )
    if filters.discipline:
        reports = Report.objects.filter(period=period).filter(discipline_filter(filters.discipline, today))
        if filters.reporter is not None:
            reports = reports.filter(unit_id=filters.reporter)
        measures = measures.filter(pk__in=reports.values("measure_id"))
    return measures


def ledger_ids(
    user: User, plan: Plan, period: Period, filters: LedgerFilters, today: dt.date
) -> tuple[list[int], dict[int, MeasureStatus]]:
    """The ids of the matching measures in plan order, and every status: two queries."""
    measures = _measures(user, plan, filters, period, today)
    statuses = measure_statuses(period, today, measures)
    ids = []
    for pk in measures.order_by(
        "task__sector__part__ordinal", "task__sector__ordinal", "task__number", "position"
    ).values_list("pk", flat=True):
        status = statuses.get(pk, NOT_REQUESTED)
        if filters.state and status.state != filters.state:
            continue
        if filters.light and status.light != filters.light:
            continue
        ids.append(pk)
    return ids, statuses


def ledger_rows(user: User, ids: list[int], statuses: dict[int, MeasureStatus], period: Period) -> list[LedgerRow]:
    """Rows for the given measure ids, in that order: measures, units, latest reports, and for a
    unit user which of those reports they may read (four queries at most)."""
    if not ids:
        return []
    latest = Subquery(
        Report.objects.filter(
            measure=OuterRef("pk"),
            role=Report.Role.LEAD,
            state__in=FILED_STATES,
            period__start_date__lte=period.start_date,
        )
        .order_by("-period__start_date", "-submitted_at")
        .values("pk")[:1]
    )
    measures = {
        m.pk: m
        for m in Measure.objects.filter(pk__in=ids)
        .select_related("task__sector__part")
        .annotate(latest_report_id=latest)
    }
    units: dict[tuple[int, str], list[str]] = defaultdict(list)
    for measure_id, role, name in (
        MeasureUnit.objects.filter(measure_id__in=ids).order_by("order").values_list("measure_id", "role", "unit__name")
    ):
        units[(measure_id, role)].append(name)
    report_ids = [m.latest_report_id for m in measures.values() if m.latest_report_id]
    readable = Report.objects.filter(pk__in=report_ids)
    if not sees_everything(user):
        readable = readable.filter(pk__in=reports_for(user).values("pk"))
    reports = {r.pk: r for r in readable.select_related("period", "unit")}
    return [
        LedgerRow(
            measure=measures[pk],
            status=statuses.get(pk, NOT_REQUESTED),
            lead_units=units[(pk, MeasureUnit.Role.LEAD)],
            support_units=units[(pk, MeasureUnit.Role.SUPPORT)],
            latest=reports.get(measures[pk].latest_report_id),
        )
        for pk in ids
        if pk in measures
    ]


def ledger_page(
    user: User, plan: Plan, period: Period, filters: LedgerFilters, today: dt.date, page: int | str = 1
) -> tuple[Page, list[LedgerRow]]:
    ids, statuses = ledger_ids(user, plan, period, filters, today)
    page_obj = Paginator(ids, PER_PAGE).get_page(page)
    return page_obj, ledger_rows(user, list(page_obj.object_list), statuses, period)
