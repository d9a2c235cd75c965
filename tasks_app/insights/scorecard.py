"""单位评分卡: one unit's measures (led and supported) with their state, its on-time rate by period
and its returned rate. Visible to the unit itself, the supervision office and leaders."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q

from tasks_app.insights.dashboard import NOT_REQUESTED
from tasks_app.insights.discipline import Discipline, unit_discipline_by_period
from tasks_app.measure_status import MeasureStatus, measure_statuses
from tasks_app.models import Measure, Period, Plan, Report, ReportEvent, Unit
from tasks_app.selectors import UnitRole, unit_responsibilities

SCORECARD_PERIODS = 12


@dataclass
class ScoredMeasure:
    role: UnitRole
    status: MeasureStatus


@dataclass
class PeriodScore:
    period: Period
    discipline: Discipline
    returned: int  # reports of the period returned by the office at least once

    @property
    def returned_rate(self) -> float | None:
        filed = self.discipline.on_time + self.discipline.late
        return self.returned / filed if filed else None


@dataclass
class Scorecard:
    unit: Unit
    period: Period | None
    lead: list[ScoredMeasure]
    support: list[ScoredMeasure]
    periods: list[PeriodScore]
    circulars: list  # issued circulars that named the unit, newest first

    @property
    def lead_states(self) -> Counter:
        return Counter(m.status.state for m in self.lead)

    @property
    def totals(self) -> PeriodScore | None:
        if not self.periods:
            return None
        total = Discipline()
        for score in self.periods:
            total.add(score.discipline)
        return PeriodScore(self.periods[0].period, total, sum(s.returned for s in self.periods))


def unit_circular_mentions(unit: Unit) -> list:
    """The issued circulars (季通报, 年总结) that named ``unit`` (点名通报), newest first: one query."""
    from notifications.models import Circular

    return list(
        Circular.objects.filter(status=Circular.Status.ISSUED, named_units=unit).order_by("-issued_on", "-sequence")
    )


def scorecard(unit: Unit, plan: Plan | None, period: Period | None, today: dt.date) -> Scorecard:
    """Queries: collectives and links (unit_responsibilities); statuses; recent periods; discipline by
    period; returned reports by period."""
    roles = unit_responsibilities(unit, plan)
    statuses: dict[int, MeasureStatus] = {}
    if period is not None:
        ids = [r.measure.pk for r in roles["lead"] + roles["support"]]
        statuses = measure_statuses(period, today, Measure.objects.filter(pk__in=ids))
    periods = list(Period.objects.filter(plan=plan).order_by("-start_date", "kind")[:SCORECARD_PERIODS]) if plan else []
    returned = dict(
        Report.objects.filter(unit=unit, period__in=periods)
        .order_by()
        .values("period_id")
        .annotate(n=Count("pk", filter=Q(events__action=ReportEvent.Action.RETURN), distinct=True))
        .values_list("period_id", "n")
    )
    return Scorecard(
        unit=unit,
        period=period,
        lead=[ScoredMeasure(r, statuses.get(r.measure.pk, NOT_REQUESTED)) for r in roles["lead"]],
        support=[ScoredMeasure(r, statuses.get(r.measure.pk, NOT_REQUESTED)) for r in roles["support"]],
        periods=[PeriodScore(p, d, returned.get(p.pk, 0)) for p, d in unit_discipline_by_period(unit, periods, today)],
        circulars=unit_circular_mentions(unit),
    )
