"""领导驾驶舱: the whole plan at a glance for one period, in a fixed number of queries.

Measures by state and light (overall, by part, by sector, by lead unit), the trend of states
over the last periods, this period's reporting discipline, and the red measures with the last
problem reported on them. Every count carries the link to the ledger rows behind it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.urls import reverse

from tasks_app.insights.discipline import Discipline, Kind, UnitDiscipline, discipline_by_unit
from tasks_app.lights import SEVERITY, Light
from tasks_app.measure_status import (
    LIGHTS,
    STATES,
    MeasureState,
    MeasureStatus,
    per_measure,
    state_counts_by_period,
    status_counts,
)
from tasks_app.models import FILED_STATES, Measure, MeasureUnit, Period, Plan, Report, Sector, Unit

TREND_PERIODS = 12
RED_LIST_SIZE = 20
WORST_UNITS = 10
NOT_REQUESTED = MeasureStatus(0, MeasureState.UNREPORTED, Light.GREY)


@cache
def _ledger_path() -> str:
    # Hundreds of links a page: resolve the path once, not per link.
    return reverse("measure-ledger")


def ledger_url(period: Period, **filters) -> str:
    """The ledger filtered to the measures behind a number. Values are ids and enum slugs (ASCII,
    nothing to escape), so the query string is joined directly: a dashboard makes hundreds of these."""
    params = {"period": period.pk, **{k: v for k, v in filters.items() if v not in (None, "")}}
    return _ledger_path() + "?" + "&".join(f"{key}={value}" for key, value in params.items())


@dataclass
class Cell:
    count: int
    url: str
    key: str = ""  # the state, light or discipline kind it counts
    label: str = ""


@dataclass
class Tally:
    """Measures of one group (the whole plan, a part, a sector, a lead unit) by state and by light."""

    label: str
    filters: dict
    states: Counter = field(default_factory=Counter)
    lights: Counter = field(default_factory=Counter)
    state_cells: list[Cell] = field(default_factory=list)
    light_cells: list[Cell] = field(default_factory=list)
    total_url: str = ""

    @property
    def total(self) -> int:
        return sum(self.states.values())

    def add(self, counts: Counter) -> None:
        """Add measures counted by (state, light)."""
        for (state, light), count in counts.items():
            self.states[state] += count
            self.lights[light] += count

    def link(self, period: Period) -> Tally:
        self.state_cells = [
            Cell(self.states[s], ledger_url(period, state=s, **self.filters), s, s.label) for s in STATES
        ]
        self.light_cells = [
            Cell(self.lights[li], ledger_url(period, light=li, **self.filters), li, li.label) for li in LIGHTS
        ]
        self.total_url = ledger_url(period, **self.filters)
        return self


@dataclass
class RedMeasure:
    measure: Measure
    lead_units: list[str]
    problem_report: Report | None


@dataclass
class Dashboard:
    plan: Plan
    period: Period
    periods: list[Period]
    overall: Tally
    parts: list[Tally]
    sectors: list[Tally]
    units: list[Tally]
    trend: list[tuple[Period, Counter]]
    discipline: Discipline
    discipline_cells: dict[str, Cell]
    worst_units: list[UnitDiscipline]
    red: list[RedMeasure]
    red_total: int

    @property
    def trend_rows(self) -> list[tuple[Period, list[Cell]]]:
        return [(p, [Cell(counts[s], ledger_url(p, state=s), s, s.label) for s in STATES]) for p, counts in self.trend]


def _current_measures(plan: Plan):
    return Measure.objects.filter(task__plan=plan, archived_in__isnull=True, task__archived_in__isnull=True)


def plan_periods(plan: Plan) -> list[Period]:
    return list(Period.objects.filter(plan=plan).order_by("-start_date", "kind"))


def dashboard(plan: Plan, period: Period, today: dt.date, periods: list[Period] | None = None) -> Dashboard:
    """Queries: sectors; counts by sector and by lead unit; lead units' names; trend; units' discipline;
    red total; red measures with their last problem; their lead units; the problems' reports (nine,
    plus ``periods`` if not given). Counting happens in the database: what comes back
    grows with the sectors and units, not with the measures or reports."""
    periods = plan_periods(plan) if periods is None else periods
    current = _current_measures(plan)
    sectors = list(Sector.objects.filter(part__plan=plan).select_related("part").order_by("part__ordinal", "ordinal"))
    counts = status_counts(
        period,
        today,
        sector=current.values(measure_id=F("pk"), group_key=F("task__sector_id")),
        unit=MeasureUnit.objects.filter(role=MeasureUnit.Role.LEAD, measure__in=current).values(
            "measure_id", group_key=F("unit_id")
        ),
    )
    by_sector_counts, by_unit_counts = counts["sector"], counts["unit"]
    unit_names = Unit.objects.filter(pk__in=list(by_unit_counts)).order_by("sort_order", "name")

    overall = Tally("全部举措", {})
    parts = {s.part_id: Tally(s.part.heading, {"part": s.part_id}) for s in sectors}
    by_sector = {s.pk: Tally(s.short_name, {"sector": s.pk}) for s in sectors}
    for sector in sectors:
        for tally in (overall, parts[sector.part_id], by_sector[sector.pk]):
            tally.add(by_sector_counts.get(sector.pk, Counter()))
    units = [Tally(u.name, {"lead_unit": u.pk}) for u in unit_names.only("pk", "name")]
    for tally in units:
        tally.add(by_unit_counts.get(tally.filters["lead_unit"], Counter()))

    trend_periods = sorted(
        (p for p in periods if p.kind == period.kind and p.start_date <= period.start_date),
        key=lambda p: p.start_date,
    )[-TREND_PERIODS:]
    # Each period's measures as they stood then (a measure archived since still counts in the months it
    # was reported on); reading a period's lead reports without joining the measures keeps the query
    # index-only, and is most of this page's time at province scale.
    by_period = state_counts_by_period(trend_periods)
    trend = []
    for p in trend_periods:
        period_counts = by_period.get(p.pk, Counter())
        # A current measure with no lead report in a period (a collective nobody designated, a measure
        # added later) counts as 未报送 there, as it does in this period's tally and in the ledger.
        period_counts[MeasureState.UNREPORTED] += max(0, overall.total - sum(period_counts.values()))
        trend.append((p, period_counts))

    units_discipline = discipline_by_unit(period, today)
    discipline = Discipline()
    for unit in units_discipline:
        discipline.add(unit.counts)
    red = current.filter(
        pk__in=per_measure(period, today).filter(light_rank=SEVERITY[Light.RED]).values("measure_id")
    ).order_by("task__sector__part__ordinal", "task__sector__ordinal", "task__number", "position")
    return Dashboard(
        plan=plan,
        period=period,
        periods=periods,
        overall=overall.link(period),
        parts=[t.link(period) for t in parts.values() if t.total],
        sectors=[t.link(period) for t in by_sector.values() if t.total],
        # Slowest first: most red, then most yellow; the directory's order among equals.
        units=sorted(
            (t.link(period) for t in units if t.total), key=lambda t: (-t.lights[Light.RED], -t.lights[Light.YELLOW])
        ),
        trend=trend,
        discipline=discipline,
        discipline_cells={
            kind: Cell(discipline.count(kind), ledger_url(period, discipline=kind), kind, Kind.LABELS[kind])
            for kind in Kind.ALL
        },
        worst_units=units_discipline[:WORST_UNITS],
        red=red_measures(red[:RED_LIST_SIZE], period),
        red_total=red.count(),
    )


def last_problem_subquery(period: Period) -> Subquery:
    """The latest filed report up to ``period`` on the measure that names a problem (lead units first)."""
    return Subquery(
        Report.objects.filter(measure=OuterRef("pk"), state__in=FILED_STATES, period__start_date__lte=period.start_date)
        .exclude(problems="")
        .order_by("-period__start_date", "role", "-submitted_at")
        .values("pk")[:1]
    )


def red_measures(measures: QuerySet[Measure], period: Period) -> list[RedMeasure]:
    """The given measures, in their order, each with its lead units and the last problem reported on
    it: three queries (one fewer when none has a problem on record, none when there is no red measure)."""
    found = list(measures.select_related("task").annotate(problem_report_id=last_problem_subquery(period)))
    lead_names: dict[int, list[str]] = defaultdict(list)
    for measure_id, name in (
        MeasureUnit.objects.filter(role=MeasureUnit.Role.LEAD, measure__in=[m.pk for m in found])
        .order_by("order")
        .values_list("measure_id", "unit__name")
    ):
        lead_names[measure_id].append(name)
    problem_ids = [m.problem_report_id for m in found if m.problem_report_id]
    reports = {r.pk: r for r in Report.objects.filter(pk__in=problem_ids).select_related("period", "unit")}
    return [RedMeasure(m, lead_names[m.pk], reports.get(m.problem_report_id)) for m in found]
